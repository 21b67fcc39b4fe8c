// Identity sign-ins are throttled per client address and per publisher:
// forged and replayed tokens count as failures, 20 of them from one
// address give 429 with Retry-After, also for a good token, while other
// addresses go on. The per-publisher bound is in
// tests/unit/identity_service_test.cpp, with small rules.

#include "in_process_server.hpp"

#include "identity_tokens.hpp"

#include "identity/publisher_key.hpp"

#include <doctest/doctest.h>

using namespace stork;
using namespace stork::test;
using nlohmann::json;

namespace {

struct IdentityTarget {
  // Believes X-Forwarded-For from loopback, so one test plays many clients.
  TestServer server{ServerOptions{.trusted_proxy = "127.0.0.1"}};
  std::string secret = new_hs256_secret();

  IdentityTarget() {
    REQUIRE(server.app().backend->identity().add_key({"acme-hs", kPublisherKey, JwsAlg::hs256, secret, 0}) ==
            KeyAdded::added);
  }
  std::string good_token() { return mint("HS256", "acme-hs", secret, good_claims(kPublisherKey, kWidgetOrigin, server.clock().now())); }
  std::string forged_token() {
    return mint("HS256", "acme-hs", new_hs256_secret(), good_claims(kPublisherKey, kWidgetOrigin, server.clock().now()));
  }
  httplib::Result post(const std::string& token, const std::string& address) {
    auto h = widget_headers();
    h.emplace("X-Forwarded-For", address);
    return server.client().Post("/api/identity", h, json{{"token", token}, {"publisher", kPublisherKey}}.dump(),
                                "application/json");
  }
};

}  // namespace

TEST_CASE("identity throttle: 20 forged tokens from one address, then 429 with Retry-After, even for a good token") {
  IdentityTarget t;
  for (int i = 0; i < 20; ++i) {
    const auto r = t.post(t.forged_token(), "203.0.113.9");
    REQUIRE(r);
    CHECK(r->status == 401);
  }
  const auto blocked = t.post(t.good_token(), "203.0.113.9");
  REQUIRE(blocked);
  CHECK(blocked->status == 429);
  CHECK(json::parse(blocked->body)["error"] == "too_many_attempts");
  const int retry_after = std::stoi(blocked->get_header_value("Retry-After"));
  CHECK(retry_after > 0);
  CHECK(retry_after <= 600);
  // Another client is not held up by this one.
  const auto other = t.post(t.good_token(), "198.51.100.4");
  REQUIRE(other);
  CHECK(other->status == 200);
}

TEST_CASE("identity throttle: a replayed token counts as a failure") {
  IdentityTarget t;
  const std::string token = t.good_token();
  const auto first = t.post(token, "203.0.113.10");
  REQUIRE(first);
  REQUIRE(first->status == 200);
  for (int i = 0; i < 20; ++i) {
    const auto r = t.post(token, "203.0.113.10");
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(json::parse(r->body)["message"].get<std::string>().find("replayed") != std::string::npos);
  }
  const auto blocked = t.post(t.good_token(), "203.0.113.10");
  REQUIRE(blocked);
  CHECK(blocked->status == 429);
}

TEST_CASE("identity throttle: malformed and unknown-kid tokens count against the address") {
  IdentityTarget t;
  for (int i = 0; i < 20; ++i) {
    const std::string token = i % 2 ? "not-a-token" : mint("HS256", "nobody", t.secret, good_claims(kPublisherKey, kWidgetOrigin, t.server.clock().now()));
    const auto r = t.post(token, "2001:db8:5:6::" + std::to_string(i + 1));
    REQUIRE(r);
    CHECK(r->status == 401);
  }
  // One IPv6 /64 is one client, as for passwords.
  const auto blocked = t.post(t.good_token(), "2001:db8:5:6::ffff");
  REQUIRE(blocked);
  CHECK(blocked->status == 429);
}
