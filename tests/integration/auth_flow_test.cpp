// Signing in, being recognized, signing out: the widget's main path.

#include "in_process_server.hpp"

#include "sessions/token.hpp"

#include <algorithm>
#include <doctest/doctest.h>

using namespace stork;
using namespace stork::test;

TEST_CASE("login, me, product, rating, wishlist on and off, logout") {
  TestServer server;

  const Reply anonymous = server.get("/products/1337.json");
  REQUIRE(anonymous.status == 200);
  CHECK(anonymous.json()["viewer"].is_null());
  CHECK(anonymous.json()["name"] == "Camera Stork X100");

  const Login in = login(server, "alice", kAlicePassword);
  REQUIRE(in.reply.status == 200);
  const auto body = in.reply.json();
  CHECK(body["user"] == nlohmann::json({{"username", "alice"}, {"first", "Alice"}, {"last", "Archer"}}));
  CHECK_FALSE(body.contains("token"));  // only cookieless logins see the token
  REQUIRE(is_well_formed_token(in.token));
  CHECK(in.csrf == csrf_token_for(in.token));
  CHECK(server.scalar("SELECT count(*) FROM sessions") == 1);
  // Only the hash is stored.
  CHECK(server.scalar("SELECT count(*) FROM sessions WHERE token_hash = '" + hash_token(in.token) + "'") == 1);

  const Reply me = server.get("/api/me", sid_cookie(in.token));
  REQUIRE(me.status == 200);
  const auto m = me.json();
  CHECK(m["user"]["username"] == "alice");
  CHECK(m["csrf"] == in.csrf);
  CHECK(m["session"]["via"] == "cookie");
  CHECK(m["session"]["id"].get<std::string>().size() == 32);
  CHECK(m["session"]["expires_at"].get<std::int64_t>() > m["session"]["created_at"].get<std::int64_t>());

  const Reply mine = server.get("/products/1337.json", sid_cookie(in.token));
  REQUIRE(mine.status == 200);
  CHECK(mine.json()["viewer"] == nlohmann::json({{"username", "alice"},
                                                 {"first", "Alice"},
                                                 {"last", "Archer"},
                                                 {"rating", nullptr},
                                                 {"wishlisted", false}}));

  const auto writes = with(with(widget_headers(), sid_cookie(in.token)), csrf(in.csrf));
  Reply rated = server.send("PUT", "/api/products/1337/rating", writes, R"({"stars":4})");
  REQUIRE(rated.status == 200);
  CHECK(rated.json()["viewer"]["rating"] == 4);
  CHECK(rated.json()["rating"]["count"] == 1);
  CHECK(rated.json()["rating"]["average"] == 4.0);
  rated = server.send("PUT", "/api/products/1337/rating", writes, R"({"stars":1})");
  REQUIRE(rated.status == 200);
  CHECK(rated.json()["viewer"]["rating"] == 1);
  CHECK(rated.json()["rating"]["count"] == 1);  // replaced, not added
  CHECK(rated.json()["rating"]["average"] == 1.0);
  CHECK(server.scalar("SELECT stars FROM ratings") == 1);

  Reply wish = server.send("PUT", "/api/products/1337/wishlist", writes);
  REQUIRE(wish.status == 200);
  CHECK(wish.json()["viewer"]["wishlisted"] == true);
  CHECK(server.scalar("SELECT count(*) FROM wishlist") == 1);
  CHECK(server.get("/products/1337.json", sid_cookie(in.token)).json()["viewer"]["wishlisted"] == true);
  wish = server.send("DELETE", "/api/products/1337/wishlist", writes);
  REQUIRE(wish.status == 200);
  CHECK(wish.json()["viewer"]["wishlisted"] == false);
  CHECK(server.scalar("SELECT count(*) FROM wishlist") == 0);

  const Reply out = server.send("POST", "/api/logout", writes);
  CHECK(out.status == 204);
  const auto cleared = out.all("Set-Cookie");
  CHECK(cleared == std::vector<std::string>{
                       "stork_sid=; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=0",
                       "__Host-stork_psid=; Path=/; Secure; HttpOnly; SameSite=None; Partitioned; Max-Age=0"});
  CHECK(server.scalar("SELECT count(*) FROM sessions") == 0);
  CHECK(server.get("/api/me", sid_cookie(in.token)).status == 401);
  CHECK(server.get("/products/1337.json", sid_cookie(in.token)).json()["viewer"].is_null());
}

namespace {

// The two session cookies of a sign-in response, without the device cookie.
std::vector<std::string> session_cookie_lines(const Reply& reply) {
  std::vector<std::string> out;
  for (const auto& line : reply.all("Set-Cookie")) {
    if (line.rfind("stork_device=", 0) != 0) out.push_back(line);
  }
  return out;
}

}  // namespace

TEST_CASE("both Set-Cookie headers byte for byte; Max-Age only with remember") {
  TestServer server;
  SUBCASE("browser session") {
    const Login in = login(server, "alice", kAlicePassword);
    REQUIRE(in.reply.status == 200);
    CHECK(session_cookie_lines(in.reply) ==
          std::vector<std::string>{
              "stork_sid=" + in.token + "; Path=/; Secure; HttpOnly; SameSite=None",
              "__Host-stork_psid=" + in.token + "; Path=/; Secure; HttpOnly; SameSite=None; Partitioned"});
    // And the device cookie of the guess limits, for a year.
    const auto all = in.reply.all("Set-Cookie");
    CHECK(std::count_if(all.begin(), all.end(), [](const std::string& l) {
            return l.rfind("stork_device=", 0) == 0 &&
                   l.find("; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=31536000") != std::string::npos;
          }) == 1);
  }
  SUBCASE("remember me") {
    const Login in = login(server, "alice", kAlicePassword, {{"remember", true}});
    REQUIRE(in.reply.status == 200);
    CHECK(session_cookie_lines(in.reply) ==
          std::vector<std::string>{
              "stork_sid=" + in.token + "; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=604800",
              "__Host-stork_psid=" + in.token +
                  "; Path=/; Secure; HttpOnly; SameSite=None; Partitioned; Max-Age=604800"});
    CHECK(server.scalar("SELECT remember FROM sessions") == 1);
  }
  SUBCASE("remember false is a session cookie") {
    const Login in = login(server, "alice", kAlicePassword, {{"remember", false}});
    REQUIRE(in.reply.status == 200);
    for (const auto& line : session_cookie_lines(in.reply)) CHECK(line.find("Max-Age") == std::string::npos);
  }
  SUBCASE("a client that mishandles SameSite=None gets none") {
    const Login in = login(server, "alice", kAlicePassword, nlohmann::json::object(),
                           {{"User-Agent",
                             "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/605.1.15 "
                             "(KHTML, like Gecko) Version/12.1.2 Safari/605.1.15"}});
    REQUIRE(in.reply.status == 200);
    CHECK(session_cookie_lines(in.reply) ==
          std::vector<std::string>{"stork_sid=" + in.token + "; Path=/; Secure; HttpOnly",
                                   "__Host-stork_psid=" + in.token + "; Path=/; Secure; HttpOnly"});
  }
}

TEST_CASE("via names the credential the session came with") {
  TestServer server;
  const Login in = login(server, "alice", kAlicePassword);
  REQUIRE(in.reply.status == 200);
  CHECK(server.get("/api/me", sid_cookie(in.token)).json()["session"]["via"] == "cookie");
  CHECK(server.get("/api/me", psid_cookie(in.token)).json()["session"]["via"] == "partitioned-cookie");
  CHECK(server.get("/api/me", bearer(in.token)).json()["session"]["via"] == "token");
  // Both cookies, as a browser with third-party cookies sends them.
  CHECK(server.get("/api/me", {{"Cookie", "__Host-stork_psid=" + in.token + "; stork_sid=" + in.token}})
            .json()["session"]["via"] == "cookie");
  // A dead unpartitioned cookie next to a live partitioned one.
  CHECK(server.get("/api/me", {{"Cookie", "stork_sid=" + new_session_token() + "; __Host-stork_psid=" + in.token}})
            .json()["session"]["via"] == "partitioned-cookie");
}

TEST_CASE("cookieless login: a bearer token that needs the CSRF header for writes") {
  TestServer server;
  const Login in = login(server, "bob", kBobPassword, {{"cookieless", true}});
  REQUIRE(in.reply.status == 200);
  REQUIRE(is_well_formed_token(in.token));
  CHECK(in.csrf == csrf_token_for(in.token));

  const Reply me = server.get("/api/me", bearer(in.token));
  REQUIRE(me.status == 200);
  CHECK(me.json()["user"]["username"] == "bob");
  CHECK(me.json()["session"]["via"] == "token");
  CHECK(server.get("/products/2.json", bearer(in.token)).json()["viewer"]["username"] == "bob");

  const auto no_csrf = with(widget_headers(), bearer(in.token));
  const Reply refused = server.send("PUT", "/api/products/2/rating", no_csrf, R"({"stars":5})");
  CHECK(refused.status == 403);
  CHECK(refused.json()["error"] == "csrf");
  CHECK(server.scalar("SELECT count(*) FROM ratings") == 0);

  const Reply ok = server.send("PUT", "/api/products/2/rating", with(no_csrf, csrf(in.csrf)), R"({"stars":5})");
  CHECK(ok.status == 200);
  CHECK(ok.json()["viewer"]["rating"] == 5);
  CHECK(server.get("/api/me", {{"Authorization", "Bearer " + new_session_token()}}).status == 401);
  CHECK(server.get("/api/me", {{"Authorization", "Basic " + in.token}}).status == 401);
}

TEST_CASE("session fixation: a login never adopts the session the client came with") {
  TestServer server;
  SUBCASE("a live session planted by someone else") {
    const Login planted = login(server, "bob", kBobPassword);
    REQUIRE(planted.reply.status == 200);
    const Login victim = login(server, "alice", kAlicePassword, nlohmann::json::object(),
                               {{"Cookie", "stork_sid=" + planted.token + "; __Host-stork_psid=" + planted.token}});
    REQUIRE(victim.reply.status == 200);
    CHECK(victim.token != planted.token);
    CHECK(server.get("/api/me", sid_cookie(planted.token)).status == 401);
    CHECK(server.get("/api/me", sid_cookie(victim.token)).json()["user"]["username"] == "alice");
    CHECK(server.scalar("SELECT count(*) FROM sessions") == 1);
  }
  SUBCASE("a made-up token") {
    const std::string made_up = new_session_token();
    const Login in = login(server, "alice", kAlicePassword, nlohmann::json::object(), sid_cookie(made_up));
    REQUIRE(in.reply.status == 200);
    CHECK(in.token != made_up);
    CHECK(server.get("/api/me", sid_cookie(made_up)).status == 401);
    CHECK(server.scalar("SELECT count(*) FROM sessions WHERE token_hash = '" + hash_token(made_up) + "'") == 0);
  }
}

TEST_CASE("expired and forged sessions are simply no session") {
  TestServer server;
  const Login in = login(server, "alice", kAlicePassword);
  REQUIRE(in.reply.status == 200);
  const std::string hash = hash_token(in.token);

  SUBCASE("idle past the timeout") {
    server.clock().advance(1801);
  }
  SUBCASE("past the absolute expiry") {
    // Touched often enough never to idle out, until the browser session's end.
    const auto& policy = server.app().sessions.policy();
    for (std::int64_t t = 0; t < policy.absolute_seconds_browser; t += policy.idle_seconds - 60) {
      server.clock().advance(policy.idle_seconds - 60);
      if (server.get("/api/me", sid_cookie(in.token)).status != 200) break;
    }
    server.clock().advance(policy.idle_seconds - 60);
  }
  const Reply product = server.get("/products/1337.json", sid_cookie(in.token));
  CHECK(product.status == 200);
  CHECK(product.json()["viewer"].is_null());
  const Reply me = server.get("/api/me", sid_cookie(in.token));
  CHECK(me.status == 401);
  CHECK(me.json()["error"] == "unauthenticated");
  CHECK(server.scalar("SELECT count(*) FROM sessions WHERE token_hash = '" + hash + "'") == 0);
}

TEST_CASE("a short idle timeout is enforced whatever the cookie says") {
  TestServer server({.tweak = [](Config& cfg) { cfg.sessions.idle_seconds = 1; }});
  const Login in = login(server, "alice", kAlicePassword, {{"remember", true}});
  REQUIRE(in.reply.status == 200);
  server.clock().advance(2);
  CHECK(server.get("/api/me", sid_cookie(in.token)).status == 401);
}

TEST_CASE("forged cookies: the product is anonymous, /api/me is 401, nothing breaks") {
  TestServer server;
  const std::vector<std::string> cookies = {
      "stork_sid=" + new_session_token(),
      "__Host-stork_psid=" + new_session_token(),
      "stork_sid=not-a-token",
      "stork_sid=",
      "stork_sid=\"" + std::string(5000, 'A') + "\"",
      "stork_sid=' OR 1=1 --",
      "garbage without equals",
  };
  for (const auto& cookie : cookies) {
    CAPTURE(cookie);
    const Reply product = server.get("/products/1337.json", {{"Cookie", cookie}});
    CHECK(product.status == 200);
    CHECK(product.json()["viewer"].is_null());
    CHECK(server.get("/api/me", {{"Cookie", cookie}}).status == 401);
  }
}

TEST_CASE("login failures: same answer for unknown user, wrong password, disabled user; then 429") {
  TestServer server;
  const Login wrong = login(server, "alice", "not-the-password");
  const Login unknown = login(server, "nobody", "whatever-password");
  const Login disabled = login(server, "carol", kCarolPassword);
  for (const Login* l : {&wrong, &unknown, &disabled}) {
    CHECK(l->reply.status == 401);
    CHECK(l->reply.json()["error"] == "invalid_credentials");
    CHECK(l->reply.all("Set-Cookie").empty());
  }
  CHECK(wrong.reply.body == unknown.reply.body);
  CHECK(server.scalar("SELECT count(*) FROM sessions") == 0);

  // Ten failures from one address block it: the right password waits too.
  for (int i = 0; i < 7; ++i) {
    REQUIRE(login(server, "ghost" + std::to_string(i), "whatever-password").reply.status == 401);
  }
  const Login again = login(server, "bob", kBobPassword);
  CHECK(again.reply.status == 429);
  CHECK(again.reply.json()["error"] == "too_many_attempts");
  const int retry_after = std::stoi(again.reply.header("Retry-After"));
  CHECK(retry_after > 500);
  CHECK(retry_after <= 600);
  CHECK(again.reply.all("Set-Cookie").empty());
}

TEST_CASE("changing the password ends the other sessions and rotates this one") {
  TestServer server;
  const Login here = login(server, "alice", kAlicePassword);
  const Login elsewhere = login(server, "alice", kAlicePassword);
  const Login bob = login(server, "bob", kBobPassword);
  REQUIRE(here.reply.status == 200);
  const Reply changed =
      server.send("PUT", "/api/password", with(with(widget_headers(), sid_cookie(here.token)), csrf(here.csrf)),
                  R"({"old_password":"alice-password-1","new_password":"a-brand-new-passphrase"})");
  REQUIRE(changed.status == 200);
  std::string rotated;
  for (const auto& line : changed.all("Set-Cookie")) {
    if (const auto v = cookie_value(line, "stork_sid"); !v.empty()) rotated = v;
  }
  REQUIRE(is_well_formed_token(rotated));
  CHECK(rotated != here.token);
  CHECK(changed.json()["csrf"] == csrf_token_for(rotated));
  CHECK(server.get("/api/me", sid_cookie(here.token)).status == 401);
  CHECK(server.get("/api/me", sid_cookie(elsewhere.token)).status == 401);
  CHECK(server.get("/api/me", sid_cookie(rotated)).status == 200);
  CHECK(server.get("/api/me", sid_cookie(bob.token)).status == 200);
  CHECK(login(server, "alice", "a-brand-new-passphrase").reply.status == 200);
}

TEST_CASE("a user disabled after signing in is signed out at once") {
  TestServer server;
  const Login in = login(server, "alice", kAlicePassword);
  REQUIRE(server.get("/api/me", sid_cookie(in.token)).status == 200);
  server.app().accounts.set_disabled(server.user_id("alice"), true);
  CHECK(server.get("/api/me", sid_cookie(in.token)).status == 401);
  CHECK(server.get("/products/1.json", sid_cookie(in.token)).json()["viewer"].is_null());
}

TEST_CASE("cookie check: set two probe cookies, then report which came back") {
  TestServer server;
  const Reply set = server.get("/api/cookie-check?step=set");
  CHECK(set.status == 200);
  const auto lines = set.all("Set-Cookie");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "stork_probe=1; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=60");
  CHECK(lines[1] == "__Host-stork_pprobe=1; Path=/; Secure; HttpOnly; SameSite=None; Partitioned; Max-Age=60");

  CHECK(server.get("/api/cookie-check?step=read").json() ==
        nlohmann::json({{"unpartitioned", false}, {"partitioned", false}}));
  CHECK(server.get("/api/cookie-check?step=read", {{"Cookie", "__Host-stork_pprobe=1"}}).json() ==
        nlohmann::json({{"unpartitioned", false}, {"partitioned", true}}));
  CHECK(server.get("/api/cookie-check?step=read", {{"Cookie", "stork_probe=1; __Host-stork_pprobe=1"}}).json() ==
        nlohmann::json({{"unpartitioned", true}, {"partitioned", true}}));
  CHECK(server.get("/api/cookie-check").status == 400);
  CHECK(server.get("/api/cookie-check?step=nonsense").status == 400);
}
