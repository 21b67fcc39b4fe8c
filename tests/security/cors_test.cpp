// CORS (ASVS V14.5.3, V4.1): a registered publisher's page may read the
// product JSON with credentials, and nothing that describes the visitor's
// account or sessions.

#include "in_process_server.hpp"

#include <doctest/doctest.h>

using namespace stork;
using namespace stork::test;

TEST_CASE("cors: publisher origins read the product JSON and nothing about the account or sessions") {
  TestServer server;
  server.add_user("vera", "vera's long secret");
  auto cli = server.client();
  const auto who = login(cli, "vera", "vera's long secret");
  REQUIRE(who);
  const httplib::Headers from_publisher{{"Origin", kPublisherOrigin}, {"Cookie", who->cookie()}};

  auto product = cli.Get("/products/1.json", from_publisher);
  REQUIRE(product);
  CHECK(product->status == 200);
  CHECK(product->get_header_value("Access-Control-Allow-Origin") == kPublisherOrigin);
  CHECK(product->get_header_value("Access-Control-Allow-Credentials") == "true");

  for (const char* path : {"/api/me", "/api/sessions", "/api/account", "/api/account/export",
                           "/api/cookie-check?step=read"}) {
    CAPTURE(path);
    auto r = cli.Get(path, from_publisher);
    REQUIRE(r);
    CHECK_FALSE(r->has_header("Access-Control-Allow-Origin"));
    CHECK_FALSE(r->has_header("Access-Control-Allow-Credentials"));
    // Nor does a preflight open them.
    auto pre = cli.Options(path, httplib::Headers{{"Origin", kPublisherOrigin},
                                                  {"Access-Control-Request-Method", "GET"}});
    REQUIRE(pre);
    CHECK_FALSE(pre->has_header("Access-Control-Allow-Origin"));
    CHECK_FALSE(pre->has_header("Access-Control-Allow-Methods"));
  }
  auto pre = cli.Options("/products/1.json", httplib::Headers{{"Origin", kPublisherOrigin},
                                                              {"Access-Control-Request-Method", "GET"}});
  REQUIRE(pre);
  CHECK(pre->get_header_value("Access-Control-Allow-Origin") == kPublisherOrigin);
}
