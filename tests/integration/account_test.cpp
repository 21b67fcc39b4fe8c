// Sign-up, the visitor's own account (export, delete) and password reset
// links, over real HTTP.

#include "in_process_server.hpp"

#include "sessions/token.hpp"

#include <doctest/doctest.h>

using namespace stork;
using namespace stork::test;

namespace {

constexpr const char* kDanaPassword = "Sings-opera-42!";

nlohmann::json dana(const nlohmann::json& extra = nlohmann::json::object()) {
  nlohmann::json body = {{"username", "dana"}, {"password", kDanaPassword}, {"first", "Dana"}, {"last", "Delacroix"}};
  for (const auto& [k, v] : extra.items()) body[k] = v;
  return body;
}

Reply signup(TestServer& server, const nlohmann::json& body, const httplib::Headers& headers = {}) {
  return server.send("POST", "/api/signup", with(widget_headers(), headers), body.dump());
}

std::string sid_of(const Reply& r) {
  for (const auto& line : r.all("Set-Cookie")) {
    if (const auto v = cookie_value(line, "stork_sid"); !v.empty()) return v;
  }
  return {};
}

httplib::Headers writes(const Login& l) { return with(with(widget_headers(), sid_cookie(l.token)), csrf(l.csrf)); }

}  // namespace

TEST_CASE("sign-up: 201 with the login response and both cookies; then a normal account") {
  TestServer server;
  const Reply r = signup(server, dana({{"remember", true}}));
  REQUIRE_MESSAGE(r.status == 201, r.body);
  const auto body = r.json();
  CHECK(body["user"] == nlohmann::json({{"username", "dana"}, {"first", "Dana"}, {"last", "Delacroix"}}));
  const std::string token = sid_of(r);
  REQUIRE(is_well_formed_token(token));
  CHECK(body["csrf"] == csrf_token_for(token));
  CHECK_FALSE(body.contains("token"));
  std::size_t psid = 0;
  for (const auto& line : r.all("Set-Cookie")) {
    if (!cookie_value(line, "__Host-stork_psid").empty()) ++psid;
    CHECK(line.find("Max-Age=") != std::string::npos);  // remember
  }
  CHECK(psid == 1);
  CHECK(server.get("/api/me", sid_cookie(token)).json()["user"]["username"] == "dana");
  const Login again = login(server, "dana", kDanaPassword);
  CHECK(again.reply.status == 200);
  const std::string hash = *server.app().accounts.password_hash(server.user_id("dana"));
  CHECK(hash.rfind("$argon2id$", 0) == 0);
}

TEST_CASE("sign-up cookieless: the token in the body works as a bearer") {
  TestServer server;
  const Reply r = signup(server, dana({{"cookieless", true}}));
  REQUIRE(r.status == 201);
  const std::string token = r.json()["token"];
  CHECK(server.get("/api/me", bearer(token)).json()["session"]["via"] == "token");
}

TEST_CASE("sign-up refuses bad fields with the field and a reason, and creates nothing") {
  TestServer server({.tweak = [](Config& c) { c.signup.attempts_per_window = 100; }});
  const struct {
    nlohmann::json extra;
    const char* field;
  } cases[] = {
      {{{"username", "ab"}}, "username"},
      {{{"username", "has space"}}, "username"},
      {{{"username", ".dots"}}, "username"},
      {{{"username", "Admin"}}, "username"},
      {{{"username", "stork-team"}}, "username"},
      {{{"password", "short"}}, "password"},
      {{{"password", "password123"}}, "password"},
      {{{"password", "xdanax-Opera-42"}}, "password"},  // contains the username
      {{{"first", ""}}, "first"},
      {{{"last", std::string(101, 'x')}}, "last"},
      {{{"first", "line\nbreak"}}, "first"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.extra.dump());
    const Reply r = signup(server, dana(c.extra));
    CHECK(r.status == 400);
    CHECK(r.json()["error"] == "invalid_field");
    CHECK(r.json()["field"] == c.field);
    CHECK_FALSE(r.json()["message"].get<std::string>().empty());
    CHECK(r.all("Set-Cookie").empty());
  }
  CHECK(server.scalar("SELECT count(*) FROM users WHERE username NOT IN ('alice','bob','carol')") == 0);
  // Malformed bodies are still plain bad requests.
  CHECK(server.send("POST", "/api/signup", widget_headers(), "{").status == 400);
  CHECK(server.send("POST", "/api/signup", widget_headers(), R"({"username":1})").json()["error"] == "bad_request");
}

TEST_CASE("sign-up: usernames are unique in any case; 409 says only that it is taken") {
  TestServer server;
  REQUIRE(signup(server, dana()).status == 201);
  for (const char* name : {"dana", "DANA", "Dana", "alice", "ALICE", "carol"}) {  // carol is disabled
    CAPTURE(name);
    const Reply r = signup(server, dana({{"username", name}, {"password", "Another-pass-99"}}));
    CHECK(r.status == 409);
    CHECK(r.json()["error"] == "username_taken");
    CHECK(r.all("Set-Cookie").empty());
  }
  CHECK(server.scalar("SELECT count(*) FROM users WHERE username LIKE 'dana'") == 1);
}

TEST_CASE("sign-up follows the CSRF rules of login") {
  TestServer server;
  const auto body = dana().dump();
  CHECK(server.send("POST", "/api/signup", {}, body).status == 403);
  CHECK(server.send("POST", "/api/signup", {{"Origin", kForeignOrigin}}, body).status == 403);
  CHECK(server.send("POST", "/api/signup", {{"Origin", kPublisherOrigin}}, body).status == 403);
  CHECK(server.send("POST", "/api/signup", {{"Origin", kWidgetOrigin}, {"Sec-Fetch-Site", "cross-site"}}, body).status == 403);
  CHECK(server.scalar("SELECT count(*) FROM users WHERE username = 'dana'") == 0);
  // A client that comes with a session gets a new one (no fixation).
  const Login alice = login(server, "alice", kAlicePassword);
  const Reply r = signup(server, dana(), sid_cookie(alice.token));
  REQUIRE(r.status == 201);
  CHECK(sid_of(r) != alice.token);
  CHECK(server.get("/api/me", sid_cookie(alice.token)).status == 401);
}

TEST_CASE("sign-up floods from one address are throttled with Retry-After") {
  TestServer server;
  const std::int64_t limit = server.app().services.signups.rules().attempts_per_window;
  for (std::int64_t i = 0; i < limit; ++i) {
    const Reply r = signup(server, dana({{"username", "flood" + std::to_string(i)}, {"password", "x"}}));
    CHECK(r.status == 400);  // counted though refused
  }
  const Reply r = signup(server, dana());
  CHECK(r.status == 429);
  CHECK(std::stoll(r.header("Retry-After")) > 0);
  CHECK(server.scalar("SELECT count(*) FROM users WHERE username = 'dana'") == 0);
}

TEST_CASE("GET /api/account/export: profile, sessions, ratings, wishlist; not readable cross-origin") {
  TestServer server;
  const Login alice = login(server, "alice", kAlicePassword, {{"publisher", "acme"}});
  REQUIRE(server.send("PUT", "/api/products/1/rating", writes(alice), R"({"stars":5})").status == 200);
  REQUIRE(server.send("PUT", "/api/products/2/wishlist", writes(alice), "").status == 200);
  const Reply r = server.get("/api/account/export", sid_cookie(alice.token));
  REQUIRE(r.status == 200);
  CHECK(r.header("Content-Disposition").find("stork-account-alice.json") != std::string::npos);
  CHECK(r.header("Cache-Control") == "no-store");
  const auto j = r.json();
  CHECK(j["profile"]["username"] == "alice");
  CHECK(j["profile"]["first"] == "Alice");
  REQUIRE(j["sessions"].size() == 1);
  CHECK(j["sessions"][0]["current"] == true);
  CHECK(j["sessions"][0]["publisher"] == "acme");
  REQUIRE(j["ratings"].size() == 1);
  CHECK(j["ratings"][0]["product"]["id"] == 1);
  CHECK(j["ratings"][0]["stars"] == 5);
  REQUIRE(j["wishlist"].size() == 1);
  CHECK(j["wishlist"][0]["product"]["id"] == 2);
  CHECK(r.body.find(alice.token) == std::string::npos);  // no secrets in the export
  CHECK(r.body.find("argon2") == std::string::npos);

  CHECK(server.get("/api/account/export").status == 401);
  const Reply cross = server.get("/api/account/export", with(sid_cookie(alice.token), {{"Origin", kPublisherOrigin}}));
  CHECK_FALSE(cross.has_header("Access-Control-Allow-Origin"));
}

TEST_CASE("DELETE /api/account: password re-entered; sessions, ratings, wishlist gone; aggregates exact") {
  TestServer server;
  const Login alice = login(server, "alice", kAlicePassword);
  const Login alice2 = login(server, "alice", kAlicePassword);
  const Login bob = login(server, "bob", kBobPassword);
  REQUIRE(server.send("PUT", "/api/products/1/rating", writes(alice), R"({"stars":5})").status == 200);
  REQUIRE(server.send("PUT", "/api/products/1/rating", writes(bob), R"({"stars":2})").status == 200);
  REQUIRE(server.send("PUT", "/api/products/3/rating", writes(alice), R"({"stars":4})").status == 200);
  REQUIRE(server.send("PUT", "/api/products/2/wishlist", writes(alice), "").status == 200);
  const std::int64_t alice_id = server.user_id("alice");

  // Without the CSRF token or the password: refused, nothing changes.
  CHECK(server.send("DELETE", "/api/account", with(widget_headers(), sid_cookie(alice.token)),
                    R"({"password":"alice-password-1"})").status == 403);
  CHECK(server.send("DELETE", "/api/account", writes(alice), R"({})").status == 400);
  CHECK(server.scalar("SELECT count(*) FROM users WHERE id = " + std::to_string(alice_id)) == 1);

  const Reply gone = server.send("DELETE", "/api/account", writes(alice), R"({"password":"alice-password-1"})");
  REQUIRE_MESSAGE(gone.status == 204, gone.body);
  CHECK(gone.header("Clear-Site-Data") == "\"cookies\"");
  CHECK(server.get("/api/me", sid_cookie(alice.token)).status == 401);
  CHECK(server.get("/api/me", sid_cookie(alice2.token)).status == 401);  // every session
  const std::string id = std::to_string(alice_id);
  CHECK(server.scalar("SELECT count(*) FROM users WHERE id = " + id) == 0);
  CHECK(server.scalar("SELECT count(*) FROM sessions WHERE user_id = " + id) == 0);
  CHECK(server.scalar("SELECT count(*) FROM ratings WHERE user_id = " + id) == 0);
  CHECK(server.scalar("SELECT count(*) FROM wishlist WHERE user_id = " + id) == 0);
  // Aggregates: only bob's rating is left on product 1, none on 3.
  const auto p1 = server.get("/products/1.json").json();
  CHECK(p1["rating"]["count"] == 1);
  CHECK(p1["rating"]["average"] == 2.0);
  CHECK(server.get("/products/3.json").json()["rating"]["count"] == 0);
  CHECK(server.scalar("SELECT count(*) FROM products p WHERE rating_sum != "
                      "(SELECT coalesce(sum(stars), 0) FROM ratings r WHERE r.product_id = p.id) OR rating_count != "
                      "(SELECT count(*) FROM ratings r WHERE r.product_id = p.id)") == 0);
  CHECK(server.get("/api/me", sid_cookie(bob.token)).status == 200);
  CHECK(login(server, "alice", kAlicePassword).reply.status == 401);
  // The name is free again.
  CHECK(signup(server, dana({{"username", "alice"}})).status == 201);
}

TEST_CASE("DELETE /api/account: a wrong password deletes nothing and counts as a failed sign-in") {
  TestServer server;
  const Login alice = login(server, "alice", kAlicePassword);
  const Reply wrong = server.send("DELETE", "/api/account", writes(alice), R"({"password":"nope"})");
  CHECK(wrong.status == 403);
  CHECK(wrong.json()["error"] == "invalid_credentials");
  CHECK(server.scalar("SELECT count(*) FROM users WHERE username = 'alice'") == 1);
  CHECK(server.get("/api/me", sid_cookie(alice.token)).status == 200);
  // The back-off of sign-in now applies to the next try.
  const Reply next = server.send("DELETE", "/api/account", writes(alice), R"({"password":"alice-password-1"})");
  CHECK(next.status == 429);
  CHECK(next.has_header("Retry-After"));
  CHECK(server.scalar("SELECT count(*) FROM users WHERE username = 'alice'") == 1);
}

TEST_CASE("password reset link: once, newest only, 30 minutes, policy applies, every session ends") {
  TestServer server;
  const Login alice = login(server, "alice", kAlicePassword);
  const auto user = *server.app().accounts.find("alice");
  PasswordReset& reset = server.app().services.password_reset;
  const auto now = unix_now();
  const IssuedResetLink old_link = reset.issue(user, now);
  const IssuedResetLink link = reset.issue(user, now);
  CHECK(server.scalar("SELECT count(*) FROM password_reset_links") == 1);
  CHECK(server.scalar("SELECT count(*) FROM password_reset_links WHERE token_hash = '" + hash_token(link.token) + "'") == 1);
  CHECK(link.expires_at == now + 30 * 60);

  const auto post = [&](const std::string& path, const nlohmann::json& body) {
    return server.send("POST", path, widget_headers(), body.dump());
  };
  CHECK(post("/api/password-reset/check", {{"token", old_link.token}}).status == 404);
  const Reply check = post("/api/password-reset/check", {{"token", link.token}});
  REQUIRE(check.status == 200);
  CHECK(check.json()["user"]["username"] == "alice");

  const Reply weak = post("/api/password-reset", {{"token", link.token}, {"password", "password"}});
  CHECK(weak.status == 400);
  CHECK(weak.json()["field"] == "password");
  CHECK(post("/api/password-reset", {{"token", old_link.token}, {"password", "Fresh-start-77"}}).status == 404);
  CHECK(post("/api/password-reset", {{"token", "forged"}, {"password", "Fresh-start-77"}}).status == 404);
  CHECK(server.send("POST", "/api/password-reset", {{"Origin", kForeignOrigin}},
                    nlohmann::json{{"token", link.token}, {"password", "Fresh-start-77"}}.dump()).status == 403);

  const Reply done = post("/api/password-reset", {{"token", link.token}, {"password", "Fresh-start-77"}});
  REQUIRE_MESSAGE(done.status == 204, done.body);
  CHECK(server.get("/api/me", sid_cookie(alice.token)).status == 401);
  CHECK(login(server, "alice", "Fresh-start-77").reply.status == 200);
  CHECK(login(server, "alice", kAlicePassword).reply.status == 401);
  // Used up.
  CHECK(post("/api/password-reset", {{"token", link.token}, {"password", "Another-one-88"}}).status == 404);

  const IssuedResetLink expired = reset.issue(user, now - 31 * 60);
  CHECK(post("/api/password-reset/check", {{"token", expired.token}}).status == 404);
  CHECK(post("/api/password-reset", {{"token", expired.token}, {"password", "Another-one-88"}}).status == 404);
}

TEST_CASE("first-party pages /signup, /reset, /account cannot be framed") {
  TestServer server;
  for (const char* path : {"/signup", "/reset", "/account"}) {
    CAPTURE(path);
    const Reply r = server.get(path);
    CHECK(r.status == 200);
    CHECK(r.header("X-Frame-Options") == "DENY");
    CHECK(r.header("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
  }
}
