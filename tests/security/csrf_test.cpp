// CSRF in depth (ASVS V4.2.2, V3.5): every way around the defence is tried
// and must change nothing.

#include "in_process_server.hpp"
#include "database_fingerprint.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace stork;
using namespace stork::test;
using nlohmann::json;

namespace {

struct Fixture {
  TestServer server;
  httplib::Client cli = server.client();
  Login victim, other;
  Fixture() {
    server.add_user("victim", "victim's long secret");
    server.add_user("other", "other's long secret");
    victim = *login(cli, "victim", "victim's long secret");
    other = *login(cli, "other", "other's long secret");
  }
  int rating_of_victim() {
    auto r = cli.Get("/products/1.json", httplib::Headers{{"Cookie", victim.cookie()}});
    REQUIRE(r);
    const auto rating = json::parse(r->body).at("viewer").at("rating");
    return rating.is_null() ? 0 : rating.get<int>();
  }
  int rate(const httplib::Headers& h) {
    auto r = cli.Put("/api/products/1/rating", h, json{{"stars", 5}}.dump(), "application/json");
    REQUIRE(r);
    if (r->status == 403) CHECK(json::parse(r->body).at("error") == "csrf");
    return r->status;
  }
};

httplib::Headers with(std::initializer_list<std::pair<const char*, std::string>> list) {
  httplib::Headers h;
  for (const auto& [k, v] : list) h.emplace(k, v);
  return h;
}

}  // namespace

TEST_CASE("csrf: a state change without an Origin header is refused") {
  Fixture f;
  CHECK(f.rate(with({{"Cookie", f.victim.cookie()}, {"X-CSRF-Token", f.victim.csrf}})) == 403);
  CHECK(f.rating_of_victim() == 0);
  CHECK(f.rate(widget_headers(f.victim.cookie(), f.victim.csrf)) == 200);  // the control
  CHECK(f.rating_of_victim() == 5);
}

TEST_CASE("csrf: Origin null, a publisher's origin and a look-alike origin are refused") {
  Fixture f;
  for (const std::string& origin : std::vector<std::string>{"null", kPublisherOrigin, "https://widget.test.evil.example",
                                   "http://widget.test", "https://widget.test:444", ""}) {
    CAPTURE(origin);
    CHECK(f.rate(with({{"Origin", origin}, {"Cookie", f.victim.cookie()}, {"X-CSRF-Token", f.victim.csrf}})) ==
          403);
  }
  CHECK(f.rating_of_victim() == 0);
}

TEST_CASE("csrf: Sec-Fetch-Site cross-site and same-site are refused even with the right Origin") {
  Fixture f;
  for (const std::string& site : std::vector<std::string>{"cross-site", "same-site", "none"}) {
    CAPTURE(site);
    CHECK(f.rate(with({{"Origin", kWidgetOrigin}, {"Sec-Fetch-Site", site}, {"Cookie", f.victim.cookie()},
                       {"X-CSRF-Token", f.victim.csrf}})) == 403);
  }
  CHECK(f.rating_of_victim() == 0);
}

TEST_CASE("csrf: a missing token, a forged token and another session's token are refused") {
  Fixture f;
  CHECK(f.rate(widget_headers(f.victim.cookie())) == 403);
  CHECK(f.rate(widget_headers(f.victim.cookie(), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")) == 403);
  CHECK(f.rate(widget_headers(f.victim.cookie(), f.other.csrf)) == 403);
  CHECK(f.rate(widget_headers(f.victim.cookie(), f.victim.csrf + "x")) == 403);
  CHECK(f.rating_of_victim() == 0);
  // Logout and logout-all need it too: a forged request cannot sign anyone out.
  auto out = f.cli.Post("/api/logout", widget_headers(f.victim.cookie(), f.other.csrf), "", "application/json");
  REQUIRE(out);
  CHECK(out->status == 403);
  auto all = f.cli.Post("/api/logout-all", widget_headers(f.victim.cookie()), "", "application/json");
  REQUIRE(all);
  CHECK(all->status == 403);
  CHECK(f.cli.Get("/api/me", httplib::Headers{{"Cookie", f.victim.cookie()}})->status == 200);
}

TEST_CASE("csrf: a cross-site login is refused (login CSRF)") {
  Fixture f;
  const std::string body = json{{"username", "other"}, {"password", "other's long secret"}}.dump();
  auto r = f.cli.Post("/api/login", with({{"Origin", kPublisherOrigin}}), body, "application/json");
  REQUIRE(r);
  CHECK(r->status == 403);
  CHECK_FALSE(set_cookie_line(*r, "stork_sid"));
  auto none = f.cli.Post("/api/login", httplib::Headers{}, body, "application/json");
  REQUIRE(none);
  CHECK(none->status == 403);
}

TEST_CASE("csrf: GET never changes anything") {
  Fixture f;
  const std::string before = database_fingerprint(f.server.db());
  const httplib::Headers h = with({{"Cookie", f.victim.cookie()}, {"Origin", kPublisherOrigin}});
  for (const char* path : {"/api/logout", "/api/logout-all", "/api/products/1/rating?stars=5",
                           "/api/products/1/wishlist", "/api/password?new_password=x",
                           "/api/sessions/0123456789abcdef0123456789abcdef", "/api/login?username=victim"}) {
    CAPTURE(path);
    auto r = f.cli.Get(path, h);
    REQUIRE(r);
    CHECK(r->status >= 400);
    CHECK(r->status < 500);
    CHECK_FALSE(set_cookie_line(*r, "stork_sid"));
  }
  CHECK(database_fingerprint(f.server.db()) == before);
  CHECK(f.cli.Get("/api/me", httplib::Headers{{"Cookie", f.victim.cookie()}})->status == 200);
}

TEST_CASE("csrf: responses say what they vary by; publishers read with credentials, never with *") {
  Fixture f;
  auto pub = f.cli.Get("/products/1.json", with({{"Origin", kPublisherOrigin}, {"Cookie", f.victim.cookie()}}));
  REQUIRE(pub);
  const std::string vary = pub->get_header_value("Vary");
  CHECK(vary.find("Origin") != std::string::npos);
  CHECK(vary.find("Cookie") != std::string::npos);
  CHECK(pub->get_header_value("Access-Control-Allow-Origin") == kPublisherOrigin);
  CHECK(pub->get_header_value("Access-Control-Allow-Credentials") == "true");
  auto stranger = f.cli.Get("/products/1.json", with({{"Origin", "https://stranger.example"}}));
  REQUIRE(stranger);
  CHECK_FALSE(stranger->has_header("Access-Control-Allow-Origin"));
  CHECK(stranger->get_header_value("Vary").find("Origin") != std::string::npos);
  // A publisher may read, not write: no CORS grant on a state change.
  auto write = f.cli.Put("/api/products/1/rating", with({{"Origin", kPublisherOrigin}, {"Cookie", f.victim.cookie()},
                                                         {"X-CSRF-Token", f.victim.csrf}}),
                         json{{"stars", 1}}.dump(), "application/json");
  REQUIRE(write);
  CHECK(write->status == 403);
  CHECK_FALSE(write->has_header("Access-Control-Allow-Origin"));
  auto preflight = f.cli.Options("/api/products/1/rating", with({{"Origin", kPublisherOrigin},
                                                                 {"Access-Control-Request-Method", "PUT"}}));
  REQUIRE(preflight);
  CHECK(preflight->get_header_value("Access-Control-Allow-Methods").find("PUT") == std::string::npos);
}
