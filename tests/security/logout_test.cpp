// Logout (ASVS V3.3.1): every session the request presents ends, and both
// cookies are cleared.

#include "in_process_server.hpp"

#include <doctest/doctest.h>

using namespace stork;
using namespace stork::test;

namespace {

bool alive(httplib::Client& cli, const httplib::Headers& credentials) {
  auto r = cli.Get("/api/me", credentials);
  return r && r->status == 200;
}

}  // namespace

TEST_CASE("logout: both cookies name different sessions, both end and both cookies are cleared") {
  TestServer server;
  server.add_user("wanda", "wanda's long secret");
  auto cli = server.client();
  const auto x = login(cli, "wanda", "wanda's long secret");
  const auto y = login(cli, "wanda", "wanda's long secret");
  REQUIRE(x);
  REQUIRE(y);
  const std::string both = "stork_sid=" + x->token + "; __Host-stork_psid=" + y->token;
  auto out = cli.Post("/api/logout", widget_headers(both, x->csrf), "", "application/json");
  REQUIRE(out);
  CHECK(out->status == 204);
  CHECK(set_cookie_line(*out, "stork_sid")->find("Max-Age=0") != std::string::npos);
  CHECK(set_cookie_line(*out, "__Host-stork_psid")->find("Max-Age=0") != std::string::npos);
  CHECK_FALSE(alive(cli, {{"Cookie", "stork_sid=" + x->token}}));
  CHECK_FALSE(alive(cli, {{"Cookie", "__Host-stork_psid=" + y->token}}));
}

TEST_CASE("logout: a bearer token and a cookie naming different sessions both end") {
  TestServer server;
  server.add_user("xena", "xena's long secret");
  auto cli = server.client();
  const auto bearer = login(cli, "xena", "xena's long secret");
  const auto cookie = login(cli, "xena", "xena's long secret");
  const auto bystander = login(cli, "xena", "xena's long secret");
  REQUIRE(bearer);
  REQUIRE(cookie);
  REQUIRE(bystander);
  httplib::Headers h = widget_headers(cookie->cookie(), bearer->csrf);
  h.emplace("Authorization", "Bearer " + bearer->token);
  auto out = cli.Post("/api/logout", h, "", "application/json");
  REQUIRE(out);
  CHECK(out->status == 204);
  CHECK_FALSE(alive(cli, {{"Authorization", "Bearer " + bearer->token}}));
  CHECK_FALSE(alive(cli, {{"Cookie", cookie->cookie()}}));
  // A session the request did not present is not touched.
  CHECK(alive(cli, {{"Cookie", bystander->cookie()}}));
}
