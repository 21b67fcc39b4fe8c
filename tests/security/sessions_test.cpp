// Session management endpoints (ASVS V3.3, V3.7) over real HTTP.

#include "in_process_server.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace stork;
using namespace stork::test;
using nlohmann::json;

namespace {

int me_status(httplib::Client& cli, const std::string& cookie) {
  auto r = cli.Get("/api/me", httplib::Headers{{"Cookie", cookie}});
  return r ? r->status : -1;
}

json sessions_of(httplib::Client& cli, const Login& who) {
  auto r = cli.Get("/api/sessions", httplib::Headers{{"Cookie", who.cookie()}});
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(r->get_header_value("Cache-Control") == "no-store");
  return json::parse(r->body).at("sessions");
}

}  // namespace

TEST_CASE("sessions: the list shows the user's own live sessions and marks the current one") {
  TestServer server;
  server.add_user("judy", "judy's long secret");
  server.add_user("mallory", "mallory's long secret");
  auto cli = server.client();
  const auto a = login(cli, "judy", "judy's long secret");
  const auto b = login(cli, "judy", "judy's long secret");
  const auto m = login(cli, "mallory", "mallory's long secret");
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(m);
  const json list = sessions_of(cli, *a);
  REQUIRE(list.size() == 2);
  int current = 0;
  for (const auto& s : list) {
    CHECK(s.at("id").get<std::string>().size() == 32);
    CHECK(s.contains("created_at"));
    CHECK(s.contains("last_seen_at"));
    CHECK(s.contains("user_agent"));
    CHECK(s.contains("publisher"));
    current += s.at("current").get<bool>() ? 1 : 0;
    // Nothing in the list lets anyone take over a session.
    CHECK(s.dump().find(a->token) == std::string::npos);
    CHECK(s.dump().find(b->token) == std::string::npos);
  }
  CHECK(current == 1);
  CHECK(sessions_of(cli, *m).size() == 1);
  auto anonymous = cli.Get("/api/sessions");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
}

TEST_CASE("sessions: DELETE ends one of the user's sessions; another user's id is 404") {
  TestServer server;
  server.add_user("judy", "judy's long secret");
  server.add_user("mallory", "mallory's long secret");
  auto cli = server.client();
  const auto a = login(cli, "judy", "judy's long secret");
  const auto b = login(cli, "judy", "judy's long secret");
  const auto m = login(cli, "mallory", "mallory's long secret");
  REQUIRE((a && b && m));
  std::string b_id;
  for (const auto& s : sessions_of(cli, *b)) {
    if (s.at("current").get<bool>()) b_id = s.at("id");
  }
  REQUIRE(b_id.size() == 32);

  // Mallory cannot end Judy's session, even knowing its id.
  auto theirs = cli.Delete("/api/sessions/" + b_id, widget_headers(m->cookie(), m->csrf));
  REQUIRE(theirs);
  CHECK(theirs->status == 404);
  CHECK(me_status(cli, b->cookie()) == 200);
  // Without the CSRF token: refused.
  auto no_token = cli.Delete("/api/sessions/" + b_id, widget_headers(a->cookie()));
  REQUIRE(no_token);
  CHECK(no_token->status == 403);
  CHECK(me_status(cli, b->cookie()) == 200);

  auto mine = cli.Delete("/api/sessions/" + b_id, widget_headers(a->cookie(), a->csrf));
  REQUIRE(mine);
  CHECK(mine->status == 204);
  CHECK(me_status(cli, b->cookie()) == 401);
  CHECK(me_status(cli, a->cookie()) == 200);
  auto again = cli.Delete("/api/sessions/" + b_id, widget_headers(a->cookie(), a->csrf));
  REQUIRE(again);
  CHECK(again->status == 404);
}

TEST_CASE("sessions: logout-all ends every session of the user and no one else's") {
  TestServer server;
  server.add_user("judy", "judy's long secret");
  server.add_user("mallory", "mallory's long secret");
  auto cli = server.client();
  const auto a = login(cli, "judy", "judy's long secret");
  const auto b = login(cli, "judy", "judy's long secret");
  const auto m = login(cli, "mallory", "mallory's long secret");
  REQUIRE((a && b && m));
  auto r = cli.Post("/api/logout-all", widget_headers(a->cookie(), a->csrf), "", "application/json");
  REQUIRE(r);
  CHECK(r->status == 204);
  CHECK(r->get_header_value("Clear-Site-Data") == "\"cookies\"");
  CHECK(me_status(cli, a->cookie()) == 401);
  CHECK(me_status(cli, b->cookie()) == 401);
  CHECK(me_status(cli, m->cookie()) == 200);
}

TEST_CASE("sessions: a password change rotates the current session and ends the others") {
  TestServer server;
  server.add_user("kim", "kim's first secret");
  auto cli = server.client();
  const auto a = login(cli, "kim", "kim's first secret");
  const auto b = login(cli, "kim", "kim's first secret");
  REQUIRE((a && b));

  auto put = [&](const std::string& old_pw, const std::string& new_pw) {
    return cli.Put("/api/password", widget_headers(a->cookie(), a->csrf),
                   json{{"old_password", old_pw}, {"new_password", new_pw}}.dump(), "application/json");
  };
  auto weak = put("kim's first secret", "password");
  REQUIRE(weak);
  CHECK(weak->status == 422);
  CHECK(me_status(cli, b->cookie()) == 200);  // nothing changed

  auto ok = put("kim's first secret", "a brand new phrase");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  const auto line = set_cookie_line(*ok, "stork_sid");
  REQUIRE(line);
  const std::string fresh = line->substr(10, line->find(';') - 10);
  CHECK(fresh != a->token);
  CHECK(json::parse(ok->body).at("csrf") != a->csrf);
  CHECK(set_cookie_line(*ok, "__Host-stork_psid"));
  CHECK(me_status(cli, a->cookie()) == 401);       // the old token is dead
  CHECK(me_status(cli, b->cookie()) == 401);       // the other device is signed out
  CHECK(me_status(cli, "stork_sid=" + fresh) == 200);  // this device continues
  CHECK_FALSE(login(cli, "kim", "kim's first secret"));
}

TEST_CASE("sessions: a wrong current password is throttled like a login") {
  TestServer server;
  server.add_user("leo", "leo's long secret");
  auto cli = server.client();
  const auto a = login(cli, "leo", "leo's long secret");
  REQUIRE(a);
  auto put = [&] {
    return cli.Put("/api/password", widget_headers(a->cookie(), a->csrf),
                   json{{"old_password", "a guess"}, {"new_password", "leo's next secret"}}.dump(),
                   "application/json");
  };
  auto first = put();
  REQUIRE(first);
  CHECK(first->status == 403);
  auto second = put();
  REQUIRE(second);
  CHECK(second->status == 429);
  CHECK_FALSE(second->get_header_value("Retry-After").empty());
}

TEST_CASE("sessions: at most 20 per user, the oldest end first and the newest always works") {
  TestServer server;
  server.add_user("max", "max's long secret");
  auto cli = server.client();
  std::vector<Login> all;
  for (int i = 0; i < 25; ++i) {
    auto s = login(cli, "max", "max's long secret");
    REQUIRE(s);
    CHECK(me_status(cli, s->cookie()) == 200);
    all.push_back(*s);
  }
  CHECK(sessions_of(cli, all.back()).size() == 20);
  CHECK(server.app().config.sessions.max_sessions_per_user == 20);
  int live = 0;
  for (const auto& s : all) live += me_status(cli, s.cookie()) == 200 ? 1 : 0;
  CHECK(live == 20);
}
