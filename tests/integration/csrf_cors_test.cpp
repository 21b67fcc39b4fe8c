// State changes only from the widget's own pages; reads for registered
// publishers via CORS, and nothing for anyone else.

#include "in_process_server.hpp"

#include <doctest/doctest.h>

using namespace stork;
using namespace stork::test;

namespace {

struct Variant {
  const char* what;
  httplib::Headers headers;
};

// Everything that is counted to show a refused request changed nothing.
std::string db_state(TestServer& server) {
  return std::to_string(server.scalar("SELECT count(*) FROM sessions")) + "/" +
         std::to_string(server.scalar("SELECT count(*) FROM ratings")) + "/" +
         std::to_string(server.scalar("SELECT count(*) FROM wishlist")) + "/" +
         std::to_string(server.scalar("SELECT coalesce(sum(rating_count), 0) FROM products"));
}

}  // namespace

TEST_CASE("CSRF: every refused variant is 403 csrf and changes nothing") {
  TestServer server;
  const Login alice = login(server, "alice", kAlicePassword);
  const Login alice_other = login(server, "alice", kAlicePassword);
  const Login bob = login(server, "bob", kBobPassword);
  REQUIRE(alice.reply.status == 200);
  REQUIRE(bob.reply.status == 200);
  const std::string other_id = server.get("/api/me", sid_cookie(alice_other.token)).json()["session"]["id"];

  const auto cookie = sid_cookie(alice.token);
  const auto token = csrf(alice.csrf);
  const std::vector<Variant> variants = {
      {"no Origin", with(cookie, token)},
      {"Origin null", with(with(cookie, token), {{"Origin", "null"}})},
      {"foreign Origin", with(with(cookie, token), {{"Origin", kForeignOrigin}})},
      {"publisher Origin", with(with(cookie, token), {{"Origin", kPublisherOrigin}})},
      {"widget origin over http", with(with(cookie, token), {{"Origin", "http://widget.test"}})},
      {"Sec-Fetch-Site cross-site",
       with(with(cookie, token), {{"Origin", kWidgetOrigin}, {"Sec-Fetch-Site", "cross-site"}})},
      {"Sec-Fetch-Site same-site",
       with(with(cookie, token), {{"Origin", kWidgetOrigin}, {"Sec-Fetch-Site", "same-site"}})},
      {"missing X-CSRF-Token", with(widget_headers(), cookie)},
      {"empty X-CSRF-Token", with(with(widget_headers(), cookie), csrf(""))},
      {"wrong X-CSRF-Token", with(with(widget_headers(), cookie), csrf(alice.csrf + "x"))},
      {"another session's X-CSRF-Token", with(with(widget_headers(), cookie), csrf(bob.csrf))},
      {"the same user's other session's X-CSRF-Token", with(with(widget_headers(), cookie), csrf(alice_other.csrf))},
  };
  const struct {
    const char* method;
    std::string path;
    std::string body;
  } writes[] = {
      {"PUT", "/api/products/1337/rating", R"({"stars":5})"},
      {"PUT", "/api/products/1337/wishlist", ""},
      {"DELETE", "/api/products/1337/wishlist", ""},
      {"POST", "/api/logout", ""},
      {"POST", "/api/logout-all", ""},
      {"DELETE", "/api/sessions/" + other_id, ""},
      {"PUT", "/api/password", R"({"old_password":"alice-password-1","new_password":"Vq7#mR2!xLp9"})"},
  };
  const std::string before = db_state(server);
  const std::string hash_before = *server.app().accounts.password_hash(server.user_id("alice"));
  for (const auto& w : writes) {
    for (const auto& v : variants) {
      CAPTURE(w.method);
      CAPTURE(w.path);
      CAPTURE(v.what);
      const Reply r = server.send(w.method, w.path, v.headers, w.body);
      CHECK(r.status == 403);
      CHECK(r.json()["error"] == "csrf");
      CHECK(r.all("Set-Cookie").empty());
      CHECK(r.header("Cache-Control") == "no-store");
      CHECK(r.header("X-Content-Type-Options") == "nosniff");
      CHECK(r.header("Vary").find("Origin") != std::string::npos);
    }
  }
  CHECK(db_state(server) == before);
  CHECK(*server.app().accounts.password_hash(server.user_id("alice")) == hash_before);
  CHECK(server.get("/api/me", cookie).status == 200);
  CHECK(server.get("/api/me", sid_cookie(alice_other.token)).status == 200);
}

TEST_CASE("login CSRF: a login from anywhere but the widget is refused and sets nothing") {
  TestServer server;
  const std::string body = R"({"username":"alice","password":"alice-password-1"})";
  const std::vector<Variant> variants = {
      {"no Origin", {}},
      {"foreign Origin", {{"Origin", kForeignOrigin}}},
      {"publisher Origin", {{"Origin", kPublisherOrigin}}},
      {"cross-site fetch", {{"Origin", kWidgetOrigin}, {"Sec-Fetch-Site", "cross-site"}}},
  };
  for (const auto& v : variants) {
    CAPTURE(v.what);
    const Reply r = server.send("POST", "/api/login", v.headers, body);
    CHECK(r.status == 403);
    CHECK(r.json()["error"] == "csrf");
    CHECK(r.all("Set-Cookie").empty());
  }
  CHECK(server.scalar("SELECT count(*) FROM sessions") == 0);
  // Without Sec-Fetch-Site (older browsers) the Origin alone suffices.
  CHECK(server.send("POST", "/api/login", {{"Origin", kWidgetOrigin}}, body).status == 200);
}

TEST_CASE("CORS: registered publisher origins may read with credentials") {
  TestServer server;
  const Login in = login(server, "alice", kAlicePassword);
  REQUIRE(in.reply.status == 200);
  for (const std::string& origin : {kPublisherOrigin, kSecondPublisherOrigin}) {
    CAPTURE(origin);
    const Reply r = server.get("/products/1337.json", with(sid_cookie(in.token), {{"Origin", origin}}));
    CHECK(r.status == 200);
    CHECK(r.header("Access-Control-Allow-Origin") == origin);
    CHECK(r.header("Access-Control-Allow-Credentials") == "true");
    CHECK(r.header("Vary").find("Origin") != std::string::npos);
    CHECK(r.json()["viewer"]["username"] == "alice");
    // Nothing about the visitor's account is readable cross-origin (v2).
    const Reply me = server.get("/api/me", with(sid_cookie(in.token), {{"Origin", origin}}));
    CHECK_FALSE(me.has_header("Access-Control-Allow-Origin"));
  }
}

TEST_CASE("CORS: other origins get no CORS headers at all") {
  TestServer server;
  for (const std::string& origin : std::vector<std::string>{kForeignOrigin, "null", "https://acme.test.evil.test", "http://acme.test",
                             "https://sub.acme.test", "not an origin"}) {
    CAPTURE(origin);
    const Reply r = server.get("/products/1337.json", {{"Origin", origin}});
    CHECK(r.status == 200);
    CHECK_FALSE(r.has_header("Access-Control-Allow-Origin"));
    CHECK_FALSE(r.has_header("Access-Control-Allow-Credentials"));
    const Reply pre = server.options("/products/1337.json",
                                     {{"Origin", origin}, {"Access-Control-Request-Method", "GET"}});
    CHECK_FALSE(pre.has_header("Access-Control-Allow-Origin"));
    CHECK_FALSE(pre.has_header("Access-Control-Allow-Methods"));
  }
}

TEST_CASE("CORS: preflights are answered, for reads only") {
  TestServer server;
  const Reply pre = server.options("/products/1337.json", {{"Origin", kPublisherOrigin},
                                                           {"Access-Control-Request-Method", "GET"},
                                                           {"Access-Control-Request-Headers", "content-type"}});
  CHECK(pre.status / 100 == 2);
  CHECK(pre.header("Access-Control-Allow-Origin") == kPublisherOrigin);
  CHECK(pre.header("Access-Control-Allow-Credentials") == "true");
  const std::string methods = pre.header("Access-Control-Allow-Methods");
  CHECK(methods.find("GET") != std::string::npos);
  CHECK(methods.find("PUT") == std::string::npos);
  CHECK(methods.find("POST") == std::string::npos);
  CHECK(methods.find("DELETE") == std::string::npos);
  CHECK(pre.header("Vary").find("Origin") != std::string::npos);

  // A publisher page still cannot write: its PUT fails the origin check.
  const Login in = login(server, "alice", kAlicePassword);
  const Reply put = server.send("PUT", "/api/products/1337/rating",
                                with(with(sid_cookie(in.token), csrf(in.csrf)), {{"Origin", kPublisherOrigin}}),
                                R"({"stars":5})");
  CHECK(put.status == 403);
  CHECK_FALSE(put.has_header("Access-Control-Allow-Origin"));
}

TEST_CASE("never a wildcard origin together with credentials") {
  TestServer server;
  const Login in = login(server, "alice", kAlicePassword);
  const std::vector<std::string> paths = {"/products/1337.json", "/api/me", "/api/sessions", "/embed.js",
                                          "/widget?publisher=acme&product=1337", "/healthz",
                                          "/assets/widget.js", "/api/cookie-check?step=read"};
  for (const auto& path : paths) {
    for (const std::string& origin : {kPublisherOrigin, kForeignOrigin}) {
      CAPTURE(path);
      CAPTURE(origin);
      const Reply r = server.get(path, with(sid_cookie(in.token), {{"Origin", origin}}));
      const std::string acao = r.header("Access-Control-Allow-Origin");
      if (acao == "*") CHECK_FALSE(r.has_header("Access-Control-Allow-Credentials"));
      if (r.header("Access-Control-Allow-Credentials") == "true") CHECK(acao == kPublisherOrigin);
    }
  }
}
