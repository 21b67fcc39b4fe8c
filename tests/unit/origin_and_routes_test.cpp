#include "config.hpp"
#include "metrics/metrics.hpp"
#include "publishers/origin.hpp"
#include "publishers/publishers.hpp"

#include <doctest/doctest.h>

using namespace stork;

TEST_CASE("normalize_origin") {
  CHECK(normalize_origin("https://widget.example") == "https://widget.example");
  CHECK(normalize_origin("HTTPS://Widget.Example") == "https://widget.example");
  CHECK(normalize_origin("https://widget.example/") == "https://widget.example");
  CHECK(normalize_origin("https://widget.example:443") == "https://widget.example");
  CHECK(normalize_origin("http://widget.example:80") == "http://widget.example");
  CHECK(normalize_origin("http://localhost:8080") == "http://localhost:8080");
  CHECK(normalize_origin("https://widget.example:80") == "https://widget.example:80");
  CHECK(normalize_origin("http://127.0.0.1:8081") == "http://127.0.0.1:8081");
  CHECK(normalize_origin("http://[::1]:8080") == "http://[::1]:8080");
  CHECK(normalize_origin("http://[::1]") == "http://[::1]");

  for (const char* bad :
       {"", "null", "widget.example", "ftp://widget.example", "https://", "https:///",
        "https://widget.example/path", "https://widget.example?q=1", "https://user@widget.example",
        "https://widget.example:0", "https://widget.example:65536", "https://widget.example:123456",
        "https://widget.example:8o", "https://wid get.example", "javascript:alert(1)",
        "https://[::1", "https://[::1]x", "https://:8080"}) {
    CAPTURE(bad);
    CHECK_FALSE(normalize_origin(bad).has_value());
  }
  CHECK_FALSE(normalize_origin("https://" + std::string(300, 'a')).has_value());
}

TEST_CASE("site_of drops the port") {
  CHECK(site_of("https://shop.example:8443") == "https://shop.example");
  CHECK(site_of("https://shop.example") == "https://shop.example");
  CHECK(site_of("http://[::1]:8080") == "http://[::1]");
}

TEST_CASE("frame_ancestors lists exactly the publisher's origins") {
  const auto publisher = [](std::vector<std::string> origins) {
    Publisher p;
    p.key = "acme";
    p.origins = std::move(origins);
    return p;
  };
  CHECK(frame_ancestors(std::nullopt) == "frame-ancestors 'none'");
  CHECK(frame_ancestors(publisher({})) == "frame-ancestors 'none'");
  CHECK(frame_ancestors(publisher({"https://acme.example"})) ==
        "frame-ancestors https://acme.example");
  CHECK(frame_ancestors(publisher({"https://a.example", "http://localhost:8081"})) ==
        "frame-ancestors https://a.example http://localhost:8081");
}

TEST_CASE("publisher keys") {
  CHECK(publisher_key_violation("demo").empty());
  CHECK(publisher_key_violation("acme-2").empty());
  CHECK_FALSE(publisher_key_violation("").empty());
  CHECK_FALSE(publisher_key_violation("Acme").empty());
  CHECK_FALSE(publisher_key_violation("a b").empty());
  CHECK_FALSE(publisher_key_violation(std::string(65, 'a')).empty());
}

TEST_CASE("classify_route") {
  const struct {
    const char* method;
    const char* path;
    Route route;
  } cases[] = {
      {"GET", "/embed.js", Route::embed_js},
      {"GET", "/widget", Route::widget},
      {"GET", "/login", Route::login_page},
      {"GET", "/lab", Route::lab},
      {"GET", "/assets/widget.js", Route::assets},
      {"GET", "/healthz", Route::healthz},
      {"GET", "/metrics", Route::metrics},
      {"POST", "/api/login", Route::api_login},
      {"POST", "/api/logout", Route::api_logout},
      {"POST", "/api/logout-all", Route::api_logout_all},
      {"GET", "/api/me", Route::api_me},
      {"GET", "/api/sessions", Route::api_sessions},
      {"DELETE", "/api/sessions/0123456789abcdef0123456789abcdef", Route::api_session_delete},
      {"PUT", "/api/password", Route::api_password},
      {"GET", "/api/cookie-check", Route::api_cookie_check},
      {"GET", "/products/1337.json", Route::product},
      {"GET", "/products/1337", Route::other},
      {"PUT", "/api/products/1/rating", Route::rating},
      {"PUT", "/api/products/1/wishlist", Route::wishlist},
      {"DELETE", "/api/products/1/wishlist", Route::wishlist},
      {"PUT", "/api/products/1/other", Route::other},
      {"OPTIONS", "/api/me", Route::preflight},
      {"GET", "/", Route::other},
      {"GET", "", Route::other},
      {"GET", "/nope", Route::other},
  };
  for (const auto& c : cases) {
    CAPTURE(c.method);
    CAPTURE(c.path);
    CHECK(classify_route(c.method, c.path) == c.route);
  }
  CHECK(route_name(Route::api_login) == "api_login");
  CHECK(route_name(Route::other) == "other");
}

TEST_CASE("parse_host_port") {
  const auto a = parse_host_port("127.0.0.1:8080");
  REQUIRE(a.has_value());
  CHECK(a->host == "127.0.0.1");
  CHECK(a->port == 8080);
  const auto b = parse_host_port(":9000");
  REQUIRE(b.has_value());
  CHECK(b->host == "127.0.0.1");
  CHECK(b->port == 9000);
  const auto c = parse_host_port("[::1]:443");
  REQUIRE(c.has_value());
  CHECK(c->host == "::1");
  CHECK(c->port == 443);
  const auto d = parse_host_port("0.0.0.0:0");
  REQUIRE(d.has_value());
  CHECK(d->port == 0);
  for (const char* bad : {"", "localhost", "localhost:", "host:65536", "host:123456", "host:80a",
                          "host:-1", "host: 80"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_host_port(bad).has_value());
  }
}

TEST_CASE("Config: public origin defaults to localhost on the listening port") {
  Config cfg;
  cfg.listen = {"127.0.0.1", 9123};
  CHECK(cfg.effective_public_origin() == "http://localhost:9123");
  cfg.tls_cert = "cert.pem";
  CHECK(cfg.effective_public_origin() == "https://localhost:9123");
  cfg.public_origin = "https://widget.example";
  CHECK(cfg.effective_public_origin() == "https://widget.example");
}
