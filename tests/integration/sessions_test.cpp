// A user's list of sessions, ending one, ending all.

#include "in_process_server.hpp"

#include <doctest/doctest.h>

using namespace stork;
using namespace stork::test;

namespace {

httplib::Headers writes_as(const Login& l) {
  return with(with(widget_headers(), sid_cookie(l.token)), csrf(l.csrf));
}

std::string session_id(TestServer& server, const Login& l) {
  const Reply me = server.get("/api/me", sid_cookie(l.token));
  REQUIRE(me.status == 200);
  return me.json()["session"]["id"];
}

}  // namespace

TEST_CASE("GET /api/sessions lists the user's sessions, the current one marked") {
  TestServer server;
  const Login phone = login(server, "alice", kAlicePassword, {{"publisher", "acme"}},
                            {{"User-Agent", "PhoneBrowser/1.0"}});
  const Login laptop = login(server, "alice", kAlicePassword, nlohmann::json::object(),
                             {{"User-Agent", "LaptopBrowser/2.0"}});
  const Login bob = login(server, "bob", kBobPassword);
  REQUIRE(phone.reply.status == 200);
  REQUIRE(laptop.reply.status == 200);

  const Reply r = server.get("/api/sessions", sid_cookie(laptop.token));
  REQUIRE(r.status == 200);
  const auto sessions = r.json()["sessions"];
  REQUIRE(sessions.size() == 2);
  int current = 0;
  for (const auto& s : sessions) {
    CHECK(s["id"].get<std::string>().size() == 32);
    CHECK(s.contains("created_at"));
    CHECK(s.contains("last_seen_at"));
    if (s["current"] == true) {
      ++current;
      CHECK(s["id"] == session_id(server, laptop));
      CHECK(s["user_agent"] == "LaptopBrowser/2.0");
    } else {
      CHECK(s["id"] == session_id(server, phone));
      CHECK(s["user_agent"] == "PhoneBrowser/1.0");
      CHECK(s["publisher"] == "acme");
    }
  }
  CHECK(current == 1);
  CHECK(server.get("/api/sessions").status == 401);
}

TEST_CASE("DELETE /api/sessions/{id}: own sessions only") {
  TestServer server;
  const Login a1 = login(server, "alice", kAlicePassword);
  const Login a2 = login(server, "alice", kAlicePassword);
  const Login bob = login(server, "bob", kBobPassword);
  const std::string bob_id = session_id(server, bob);
  const std::string a2_id = session_id(server, a2);

  const Reply theirs = server.send("DELETE", "/api/sessions/" + bob_id, writes_as(a1));
  CHECK(theirs.status == 404);
  CHECK(theirs.json()["error"] == "not_found");
  CHECK(server.get("/api/me", sid_cookie(bob.token)).status == 200);

  CHECK(server.send("DELETE", "/api/sessions/0123456789abcdef0123456789abcdef", writes_as(a1)).status == 404);
  CHECK(server.send("DELETE", "/api/sessions/not-an-id", writes_as(a1)).status == 404);

  const Reply mine = server.send("DELETE", "/api/sessions/" + a2_id, writes_as(a1));
  CHECK(mine.status == 204);
  CHECK(server.get("/api/me", sid_cookie(a2.token)).status == 401);
  CHECK(server.get("/api/me", sid_cookie(a1.token)).status == 200);
  CHECK(server.send("DELETE", "/api/sessions/" + a2_id, writes_as(a1)).status == 404);

  // Ending the current session from the list also clears the cookies.
  const Reply self = server.send("DELETE", "/api/sessions/" + session_id(server, a1), writes_as(a1));
  CHECK(self.status == 204);
  CHECK(self.all("Set-Cookie").size() == 2);
  CHECK(server.get("/api/me", sid_cookie(a1.token)).status == 401);
}

TEST_CASE("logout-all ends every session of the user and no one else's") {
  TestServer server;
  std::vector<Login> alice;
  for (int i = 0; i < 3; ++i) alice.push_back(login(server, "alice", kAlicePassword));
  alice.push_back(login(server, "alice", kAlicePassword, {{"cookieless", true}}));
  const Login bob = login(server, "bob", kBobPassword);
  CHECK(server.scalar("SELECT count(*) FROM sessions") == 5);

  CHECK(server.get("/api/sessions", sid_cookie(alice[0].token)).json()["sessions"].size() == 4);
  const Reply r = server.send("POST", "/api/logout-all", writes_as(alice[1]));
  CHECK(r.status == 204);
  CHECK(r.all("Set-Cookie").size() == 2);
  for (const auto& l : alice) CHECK(server.get("/api/me", sid_cookie(l.token)).status == 401);
  CHECK(server.get("/api/me", bearer(alice[3].token)).status == 401);
  CHECK(server.get("/api/me", sid_cookie(bob.token)).status == 200);
  CHECK(server.scalar("SELECT count(*) FROM sessions") == 1);
  CHECK(server.send("POST", "/api/logout-all", writes_as(alice[0])).status == 401);
}

TEST_CASE("logout without a session still clears the cookies") {
  TestServer server;
  const Reply r = server.send("POST", "/api/logout", widget_headers());
  CHECK(r.status == 204);
  CHECK(r.all("Set-Cookie").size() == 2);
}
