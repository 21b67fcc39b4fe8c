// /metrics (ASVS V4.3.1): accounting figures for the operator only, judged
// by the client address the rest of Stork uses, or on a listener of their
// own (--metrics-listen).

#include "in_process_server.hpp"

#include <doctest/doctest.h>

using namespace stork;
using namespace stork::test;

TEST_CASE("metrics: behind a trusted proxy, the client the proxy names is judged, not the proxy") {
  // The test client connects from 127.0.0.1, as a local proxy would.
  TestServer server(ServerOptions{.trusted_proxy = "127.0.0.1"});
  auto cli = server.client();
  auto internet = cli.Get("/metrics", httplib::Headers{{"X-Forwarded-For", "203.0.113.9"}});
  REQUIRE(internet);
  CHECK(internet->status == 403);
  CHECK(internet->body.find("stork_") == std::string::npos);
  // A client that claims loopback in front of the proxy's own entry is
  // still judged by the entry the proxy added.
  auto spoofed = cli.Get("/metrics", httplib::Headers{{"X-Forwarded-For", "127.0.0.1, 198.51.100.7"}});
  REQUIRE(spoofed);
  CHECK(spoofed->status == 403);
  auto ipv6 = cli.Get("/metrics", httplib::Headers{{"X-Forwarded-For", "2001:db8::1"}});
  REQUIRE(ipv6);
  CHECK(ipv6->status == 403);
  // An operator on the proxy's host.
  auto local = cli.Get("/metrics", httplib::Headers{{"X-Forwarded-For", "127.0.0.1"}});
  REQUIRE(local);
  CHECK(local->status == 200);
  CHECK(local->body.find("stork_http_requests_total") != std::string::npos);
}

TEST_CASE("metrics: without a trusted proxy, X-Forwarded-For changes nothing") {
  TestServer server;
  auto cli = server.client();
  auto r = cli.Get("/metrics", httplib::Headers{{"X-Forwarded-For", "203.0.113.9"}});
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("metrics: with a listener of their own, the widget listener does not serve them") {
  TestServer server(ServerOptions{.metrics_listener = true});
  auto cli = server.client();
  auto on_widget = cli.Get("/metrics");
  REQUIRE(on_widget);
  CHECK(on_widget->status == 404);
  httplib::Client metrics("127.0.0.1", server.metrics_port());
  auto r = metrics.Get("/metrics");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.find("stork_http_requests_total") != std::string::npos);
  // It serves nothing else.
  auto other = metrics.Get("/api/me");
  REQUIRE(other);
  CHECK(other->status == 404);
  auto product = metrics.Get("/products/1.json");
  REQUIRE(product);
  CHECK(product->status == 404);
}
