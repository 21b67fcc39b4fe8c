// Owners are not locked out by others (OWASP's device cookies): a sign-in
// sets a per-user device cookie; a sign-in that presents a valid one for
// the same account is exempt from the account back-off and the address
// block that other clients caused, within a small limit of its own.
// IPv6 clients are counted per /64.
//
// Clients are told apart by X-Forwarded-For from a trusted local proxy.

#include "in_process_server.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace stork;
using namespace stork::test;

namespace {

ServerOptions behind_proxy() { return ServerOptions{.trusted_proxy = "127.0.0.1"}; }

// The headers of a client at `address`, with a device cookie if it has one.
httplib::Headers client_at(const std::string& address, const std::string& device = {}) {
  httplib::Headers h{{"X-Forwarded-For", address}};
  if (!device.empty()) h.emplace("Cookie", "stork_device=" + device);
  return h;
}

int status(const httplib::Result& r) { return r ? r->status : -1; }

// Signs in and returns the device cookie the answer set.
std::string device_of(const TestServer& server, const std::string& user, const std::string& password,
                      const std::string& address) {
  const auto r = post_login(server.client(), user, password, client_at(address));
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const std::string device = set_cookie_value(*r, "stork_device");
  REQUIRE_FALSE(device.empty());
  return device;
}

}  // namespace

TEST_CASE("device cookie: a sign-in sets stork_device for a year, Secure, HttpOnly, SameSite=None") {
  TestServer server(behind_proxy());
  server.add_user("amber", "amber's long secret");
  const auto r = post_login(server.client(), "amber", "amber's long secret", client_at("198.51.100.1"));
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const auto line = set_cookie_line(*r, "stork_device");
  REQUIRE(line);
  CAPTURE(*line);
  CHECK(set_cookie_value(*r, "stork_device").size() >= 22);  // 128 bits or more, encoded
  CHECK(line->find("; Path=/") != std::string::npos);
  CHECK(line->find("; Secure") != std::string::npos);
  CHECK(line->find("; HttpOnly") != std::string::npos);
  CHECK(line->find("; SameSite=None") != std::string::npos);
  CHECK(line->find("; Max-Age=31536000") != std::string::npos);
  // A failed sign-in issues none.
  const auto wrong = post_login(server.client(), "amber", "a wrong guess", client_at("198.51.100.2"));
  REQUIRE(wrong);
  CHECK(wrong->status == 401);
  CHECK_FALSE(set_cookie_line(*wrong, "stork_device"));
}

TEST_CASE("device cookie: the owner signs in while an attacker keeps the account in back-off") {
  TestServer server(behind_proxy());
  server.add_user("amber", "amber's long secret");
  const std::string device = device_of(server, "amber", "amber's long secret", "198.51.100.1");
  CHECK(status(post_login(server.client(), "amber", "a guess", client_at("203.0.113.1"))) == 401);
  CHECK(status(post_login(server.client(), "amber", "a guess", client_at("203.0.113.2"))) == 429);
  // Without her device cookie the owner waits like everyone else ...
  CHECK(status(post_login(server.client(), "amber", "amber's long secret", client_at("198.51.100.1"))) == 429);
  // ... with it she gets in right away.
  CHECK(status(post_login(server.client(), "amber", "amber's long secret",
                          client_at("198.51.100.1", device))) == 200);
}

TEST_CASE("device cookie: ten typos from a shared address block it, except for a user with her device cookie") {
  TestServer server(behind_proxy());
  server.add_user("cora", "cora's long secret");
  server.add_user("dave", "dave's long secret");
  const std::string school = "192.0.2.50";
  const std::string device = device_of(server, "cora", "cora's long secret", school);
  for (int i = 0; i < 10; ++i) {
    CHECK(status(post_login(server.client(), "typo" + std::to_string(i), "a guess", client_at(school))) == 401);
  }
  CHECK(status(post_login(server.client(), "someone", "a guess", client_at(school))) == 429);
  CHECK(status(post_login(server.client(), "dave", "dave's long secret", client_at(school))) == 429);
  CHECK(status(post_login(server.client(), "cora", "cora's long secret", client_at(school, device))) == 200);
}

TEST_CASE("device cookie: five wrong passwords lock that device out, not the user's other devices") {
  TestServer server(behind_proxy());
  server.add_user("erin", "erin's long secret");
  const std::string laptop = device_of(server, "erin", "erin's long secret", "198.51.100.7");
  const std::string phone = device_of(server, "erin", "erin's long secret", "198.51.100.8");
  CHECK(laptop != phone);
  for (int i = 0; i < 5; ++i) {
    CAPTURE(i);
    CHECK(status(post_login(server.client(), "erin", "a typo", client_at("198.51.100.7", laptop))) == 401);
  }
  const auto locked = post_login(server.client(), "erin", "erin's long secret", client_at("198.51.100.7", laptop));
  REQUIRE(locked);
  CHECK(locked->status == 429);
  CHECK_FALSE(locked->get_header_value("Retry-After").empty());
  CHECK(status(post_login(server.client(), "erin", "erin's long secret", client_at("198.51.100.8", phone))) == 200);
}

TEST_CASE("device cookie: another user's device or a forged value exempts nothing") {
  TestServer server(behind_proxy());
  server.add_user("amber", "amber's long secret");
  server.add_user("brent", "brent's long secret");
  const std::string ambers = device_of(server, "amber", "amber's long secret", "198.51.100.1");
  const std::string brents = device_of(server, "brent", "brent's long secret", "198.51.100.2");
  std::string tampered = ambers;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  CHECK(status(post_login(server.client(), "amber", "a guess", client_at("203.0.113.1"))) == 401);
  const std::string right = "amber's long secret";
  CHECK(status(post_login(server.client(), "amber", right, client_at("198.51.100.2", brents))) == 429);
  CHECK(status(post_login(server.client(), "amber", right, client_at("198.51.100.3", tampered))) == 429);
  CHECK(status(post_login(server.client(), "amber", right,
                          client_at("198.51.100.4", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))) == 429);
  CHECK(status(post_login(server.client(), "amber", right, client_at("198.51.100.5", "x;y"))) == 429);
}

TEST_CASE("throttle: IPv6 clients are counted per /64") {
  TestServer server(behind_proxy());
  server.add_user("frank", "frank's long secret");
  for (int i = 1; i <= 10; ++i) {
    const std::string address = "2001:db8:1:2::" + std::to_string(i);
    CHECK(status(post_login(server.client(), "guess" + std::to_string(i), "a guess", client_at(address))) == 401);
  }
  const std::string right = "frank's long secret";
  // Another address in the same /64, written out in full.
  CHECK(status(post_login(server.client(), "frank", right,
                          client_at("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"))) == 429);
  CHECK(status(post_login(server.client(), "frank", right, client_at("2001:db8:1:2::abcd"))) == 429);
  // The neighbouring /64 is another client.
  CHECK(status(post_login(server.client(), "frank", right, client_at("2001:db8:1:3::1"))) == 200);
}
