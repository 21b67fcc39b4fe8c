// Over real HTTP: sign-ins kept by a refresh token (POST /api/token), and
// the cookie lab's server view and saved reports.

#include "in_process_server.hpp"

#include "sessions/token.hpp"

#include <doctest/doctest.h>

using namespace stork;
using namespace stork::test;

namespace {

Reply post_token(TestServer& server, const std::string& body) {
  return server.send("POST", "/api/token", widget_headers(), body);
}

std::string refresh_body(const std::string& refresh) {
  return nlohmann::json({{"refresh", refresh}}).dump();
}

}  // namespace

TEST_CASE("cookieless + remember returns a refresh token and sets no cookie; only then") {
  TestServer server;
  const Login kept = login(server, "alice", kAlicePassword, {{"cookieless", true}, {"remember", true}});
  REQUIRE(kept.reply.status == 200);
  const auto body = kept.reply.json();
  CHECK(is_well_formed_token(body["refresh"].get<std::string>()));
  CHECK(is_well_formed_token(body["token"].get<std::string>()));
  CHECK(body["expires_in"].get<std::int64_t>() == 600);
  CHECK(body["csrf"] == csrf_token_for(body["token"].get<std::string>()));
  CHECK_FALSE(kept.reply.has_header("Set-Cookie"));
  CHECK(server.scalar("SELECT count(*) FROM refresh_tokens") == 1);
  // Stored hashed.
  CHECK(server.scalar("SELECT count(*) FROM refresh_tokens WHERE token_hash = '" +
                      hash_token(body["refresh"].get<std::string>()) + "'") == 1);

  for (const nlohmann::json& extra : {nlohmann::json{{"cookieless", true}}, nlohmann::json{{"remember", true}},
                                      nlohmann::json::object()}) {
    const Login other = login(server, "bob", kBobPassword, extra);
    REQUIRE(other.reply.status == 200);
    CHECK_FALSE(other.reply.json().contains("refresh"));
  }
  CHECK(server.scalar("SELECT count(*) FROM refresh_tokens") == 1);
}

TEST_CASE("POST /api/token rotates; a replayed refresh token ends the session") {
  TestServer server;
  const Login kept = login(server, "alice", kAlicePassword, {{"cookieless", true}, {"remember", true}});
  const std::string first = kept.reply.json()["refresh"];
  const std::string first_access = kept.reply.json()["token"];
  REQUIRE(server.get("/api/me", bearer(first_access)).status == 200);

  const Reply rotated = post_token(server, refresh_body(first));
  REQUIRE(rotated.status == 200);
  const auto r = rotated.json();
  const std::string second = r["refresh"];
  const std::string access = r["token"];
  CHECK(second != first);
  CHECK(r["csrf"] == csrf_token_for(access));
  CHECK(r["user"]["username"] == "alice");
  CHECK(server.get("/api/me", bearer(first_access)).status == 401);
  const Reply me = server.get("/api/me", bearer(access));
  REQUIRE(me.status == 200);
  CHECK(me.json()["session"]["via"] == "token");

  const Reply replay = post_token(server, refresh_body(first));
  CHECK(replay.status == 401);
  CHECK(replay.json()["error"] == "refresh_reused");
  CHECK(server.get("/api/me", bearer(access)).status == 401);
  CHECK(post_token(server, refresh_body(second)).status == 401);
  CHECK(server.scalar("SELECT count(*) FROM sessions") == 0);
  CHECK(server.scalar("SELECT count(*) FROM refresh_tokens") == 0);
}

TEST_CASE("logout ends a kept sign-in; bad /api/token requests are refused cleanly") {
  TestServer server;
  const Login kept = login(server, "alice", kAlicePassword, {{"cookieless", true}, {"remember", true}});
  const auto body = kept.reply.json();
  const Reply out = server.send("POST", "/api/logout",
                                with(with(widget_headers(), bearer(body["token"])), csrf(body["csrf"])));
  CHECK(out.status == 204);
  const Reply after = post_token(server, refresh_body(body["refresh"]));
  CHECK(after.status == 401);
  CHECK(after.json()["error"] == "invalid_refresh");
  CHECK(server.scalar("SELECT count(*) FROM refresh_tokens") == 0);

  CHECK(post_token(server, "{").status == 400);
  CHECK(post_token(server, R"({"refresh": 5})").status == 400);
  CHECK(post_token(server, R"({})").status == 400);
  CHECK(post_token(server, refresh_body(std::string(5000, 'a'))).status == 401);
  // From another site: the login rules apply.
  const Reply foreign = server.send("POST", "/api/token", {{"Origin", kForeignOrigin}},
                                    refresh_body(new_session_token()));
  CHECK(foreign.status == 403);
}

TEST_CASE("a password change elsewhere ends a kept sign-in") {
  TestServer server;
  const Login kept = login(server, "alice", kAlicePassword, {{"cookieless", true}, {"remember", true}});
  const Login other = login(server, "alice", kAlicePassword);
  const Reply changed = server.send(
      "PUT", "/api/password", with(with(widget_headers(), sid_cookie(other.token)), csrf(other.csrf)),
      R"({"old_password":"alice-password-1","new_password":"a-much-better-passphrase-42"})");
  REQUIRE(changed.status == 200);
  const Reply after = post_token(server, refresh_body(kept.reply.json()["refresh"]));
  CHECK(after.status == 401);
  CHECK(after.json()["error"] == "session_ended");
}

TEST_CASE("the lab page and its echo carry what the server received") {
  TestServer server;
  const Reply page = server.get("/lab", {{"Cookie", "stork_sid=secret-value; other=1"},
                                         {"Sec-Fetch-Site", "cross-site"},
                                         {"Sec-Fetch-Dest", "iframe"},
                                         {"Sec-Fetch-Storage-Access", "inactive"},
                                         {"Origin", kPublisherOrigin}});
  REQUIRE(page.status == 200);
  CHECK(page.header("Activate-Storage-Access") == std::string("retry; allowed-origin=\"") + kPublisherOrigin + "\"");
  CHECK(page.body.find("{{STORK_SERVER_VIEW}}") == std::string::npos);
  CHECK(page.body.find("&quot;stork_sid&quot;") != std::string::npos);
  CHECK(page.body.find("secret-value") == std::string::npos);  // names, never values
  CHECK(page.body.find("&quot;secFetchDest&quot;:&quot;iframe&quot;") != std::string::npos);
  CHECK(server.get("/lab", {{"Sec-Fetch-Storage-Access", "active"}}).header("Activate-Storage-Access") == "load");

  const Reply seen = server.get("/api/lab/seen", {{"Cookie", "a=1; b=2; a=3"}, {"Sec-Fetch-Site", "same-origin"}});
  REQUIRE(seen.status == 200);
  CHECK(seen.json()["cookies"] == nlohmann::json::array({"a", "b"}));
  CHECK(seen.json()["secFetchSite"] == "same-origin");
  CHECK(seen.json()["secFetchStorageAccess"] == "");
}

TEST_CASE("lab reports: save, show, compare; size limits and unknown ids") {
  TestServer server;
  const auto headers = with(widget_headers(), {{"User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}});
  const Reply saved = server.send("POST", "/api/lab/reports", headers,
                                  R"({"lab":{"partitionedCookie":true,"unpartitionedCookie":false},"note":"<b>strict</b>"})");
  REQUIRE(saved.status == 201);
  const std::string id = saved.json()["id"];
  CHECK(id.size() == 32);
  CHECK(saved.json()["url"] == std::string(kWidgetOrigin) + "/lab/r/" + id);

  const Reply shown = server.get("/lab/r/" + id);
  REQUIRE(shown.status == 200);
  CHECK(shown.body.find("Firefox 128") != std::string::npos);
  CHECK(shown.body.find("&lt;b&gt;strict&lt;/b&gt;") != std::string::npos);
  CHECK(shown.header("Content-Security-Policy").find("script-src") == std::string::npos);
  const Reply json = server.get("/api/lab/reports/" + id);
  REQUIRE(json.status == 200);
  CHECK(json.json()["lab"]["partitionedCookie"] == true);

  const Reply second = server.send("POST", "/api/lab/reports", widget_headers(), R"({"lab":{"partitionedCookie":false}})");
  const Reply compare = server.get("/lab/compare?r=" + id + "," + second.json()["id"].get<std::string>() + ",ffffffffffffffffffffffffffffffff");
  REQUIRE(compare.status == 200);
  CHECK(compare.body.find("2 browsers compared") != std::string::npos);
  CHECK(compare.body.find("ffffffffffffffffffffffffffffffff") != std::string::npos);  // named as missing

  CHECK(server.get("/lab/r/ffffffffffffffffffffffffffffffff").status == 404);
  CHECK(server.get("/lab/r/..%2f..%2fetc").status == 404);
  CHECK(server.get("/lab/compare?r=nope").status == 404);
  CHECK(server.get("/api/lab/reports/nope").status == 404);
  CHECK(server.send("POST", "/api/lab/reports", widget_headers(), R"({"lab":"x"})").status == 400);
  const std::string big = R"({"lab":{"x":")" + std::string(15000, 'x') + R"("},"note":")" + std::string(1000, 'n') + "\"}";
  CHECK(server.send("POST", "/api/lab/reports", widget_headers(), big).status == 400);
  CHECK(server.send("POST", "/api/lab/reports", widget_headers(), R"({"lab":{"x":")" + std::string(17000, 'x') + "\"}}").status == 413);
  CHECK(server.send("POST", "/api/lab/reports", {{"Origin", kForeignOrigin}}, R"({"lab":{}})").status == 403);
  CHECK(server.scalar("SELECT count(*) FROM lab_reports") == 2);
}
