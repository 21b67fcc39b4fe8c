// IdentityService on a real SQLite file: replay, names from the claims,
// the account of (publisher, sub), a leaked token's origin.

#include "identity_tokens.hpp"

#include "accounts/sqlite_account_store.hpp"
#include "accounts/sqlite_throttle_store.hpp"
#include "identity/identity_service.hpp"
#include "identity/sqlite_identity_store.hpp"
#include "publishers/publishers.hpp"
#include "publishers/sqlite_publisher_store.hpp"
#include "storage/sqlite_unit_of_work.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

namespace {

using namespace stork;

constexpr UnixSeconds kNow = 1'800'000'000;
const std::string kAudience = "https://widget.example";

struct Fixture {
  explicit Fixture(IdentityThrottleRules throttle_rules = {}) : rules(throttle_rules) {
    publisher_store.add("acme", std::nullopt, {"https://acme.example"}, 0);
    publisher_store.add("beta", std::nullopt, {"https://beta.example"}, 0);
    publishers.refresh();
    REQUIRE(store.add_key({"acme-hs", "acme", JwsAlg::hs256, secret, 0}) == KeyAdded::added);
    REQUIRE(store.add_key({"beta-hs", "beta", JwsAlg::hs256, secret, 0}) == KeyAdded::added);
  }

  IdentityThrottleRules rules;
  test::TempDir dir;
  Database db{dir.file("identity.db")};
  SqliteAccountStore accounts{db};
  SqlitePublisherStore publisher_store{db};
  PublisherDirectory publishers{publisher_store};
  SqliteIdentityStore store{db};
  SqliteThrottleStore throttle{db};
  SqliteUnitOfWork unit{db};
  IdentityService service{store, accounts, IdentityThrottle(throttle, unit, rules),
                          [this](const std::string& origin) { return publishers.key_for_origin(origin); },
                          VerifierPolicy{kAudience}};
  std::string secret = new_hs256_secret();
  std::string token(const nlohmann::json& claims) { return test::mint("HS256", "acme-hs", secret, claims); }
  nlohmann::json claims(const std::string& sub = "r1") { return test::good_claims("acme", kAudience, kNow, sub); }
};

}  // namespace

TEST_CASE("IdentityService: signs in, then refuses the same token as replayed") {
  Fixture f;
  const std::string t = f.token(f.claims());
  const auto first = f.service.sign_in({t, "https://acme.example", "203.0.113.9"}, kNow);
  REQUIRE(std::holds_alternative<AssertedSignIn>(first));
  CHECK(std::get<AssertedSignIn>(first).publisher == "acme");
  CHECK(std::get<AssertedSignIn>(first).user.first == "Ada");
  const auto again = f.service.sign_in({t, "", "203.0.113.9"}, kNow + 1);
  REQUIRE(std::holds_alternative<IdentityRefusal>(again));
  CHECK(std::get<IdentityRefusal>(again) == IdentityRefusal::replayed);
}

TEST_CASE("IdentityService: a refused token does not spend its jti") {
  Fixture f;
  const std::string t = f.token(f.claims());
  CHECK(std::get<IdentityRefusal>(f.service.sign_in({t, "https://beta.example", "203.0.113.9"}, kNow)) ==
        IdentityRefusal::wrong_origin);
  CHECK(std::holds_alternative<AssertedSignIn>(f.service.sign_in({t, "https://acme.example", "203.0.113.9"}, kNow)));
}

TEST_CASE("IdentityService: one account per (publisher, sub), names refreshed; disabled is refused") {
  Fixture f;
  const auto a = std::get<AssertedSignIn>(f.service.sign_in({f.token(f.claims()), "", "203.0.113.9"}, kNow));
  auto renamed = f.claims();
  renamed.erase("given_name");
  renamed.erase("family_name");
  renamed["name"] = "Ada King";
  const auto b = std::get<AssertedSignIn>(f.service.sign_in({f.token(renamed), "", "203.0.113.9"}, kNow));
  CHECK(a.user.id == b.user.id);
  CHECK(b.user.first == "Ada King");
  CHECK(b.user.last.empty());
  CHECK(f.service.asserted_by(a.user.id) == std::optional<std::string>("acme"));
  CHECK(f.accounts.password_hash(a.user.id) == std::optional<std::string>(kNoPassword));
  CHECK_FALSE(verify_password("!asserted", kNoPassword));
  f.accounts.set_disabled(a.user.id, true);
  CHECK(std::get<IdentityRefusal>(f.service.sign_in({f.token(f.claims()), "", "203.0.113.9"}, kNow)) ==
        IdentityRefusal::account_disabled);
}

TEST_CASE("reader_from: names from the claims, fit for an account") {
  IdentityClaims c;
  c.publisher = "acme";
  c.subject = "s";
  CHECK(reader_from(c).first == "Reader");
  c.name = "  Grace\tHopper  ";
  CHECK(reader_from(c).first == "Grace Hopper");
  c.given_name = "Grace";
  CHECK(reader_from(c).first == "Grace");
  CHECK(reader_from(c).last.empty());
  c.family_name = std::string(99, 'x') + "é";  // 101 bytes: cut before the é
  CHECK(reader_from(c).last == std::string(99, 'x'));
}

TEST_CASE("IdentityService: refused tokens for one publisher, from any address, block that publisher only") {
  Fixture f({.publisher_failures_to_block = 5, .publisher_block_seconds = 60});
  for (int i = 0; i < 5; ++i) {
    const std::string address = "203.0.113." + std::to_string(i);
    const auto bad = test::mint("HS256", "acme-hs", new_hs256_secret(), f.claims());
    CHECK(std::get<IdentityRefusal>(f.service.sign_in({bad, "", address}, kNow)) == IdentityRefusal::bad_signature);
  }
  const auto blocked = f.service.sign_in({f.token(f.claims()), "", "198.51.100.1"}, kNow + 1);
  REQUIRE(std::holds_alternative<IdentityThrottled>(blocked));
  CHECK(std::get<IdentityThrottled>(blocked).retry_after_seconds == 59);
  // beta's readers are not held up by tokens naming acme's key.
  auto beta = test::good_claims("beta", kAudience, kNow);
  CHECK(std::holds_alternative<AssertedSignIn>(
      f.service.sign_in({test::mint("HS256", "beta-hs", f.secret, beta), "", "198.51.100.1"}, kNow + 1)));
  // The block ends; a throttled attempt did not spend its token.
  CHECK(std::holds_alternative<AssertedSignIn>(f.service.sign_in({f.token(f.claims()), "", "198.51.100.1"}, kNow + 61)));
}

TEST_CASE("IdentityService: the address count forgets failures older than its window; successes do not clear it") {
  Fixture f({.address_failures_to_block = 3, .address_window_seconds = 600, .address_block_seconds = 600});
  const std::string address = "203.0.113.7";
  auto fail = [&](UnixSeconds at) {
    return f.service.sign_in({"not.a.token", "", address}, at);
  };
  CHECK(std::holds_alternative<IdentityRefusal>(fail(kNow)));
  CHECK(std::holds_alternative<IdentityRefusal>(fail(kNow + 1)));
  CHECK(std::holds_alternative<AssertedSignIn>(f.service.sign_in({f.token(f.claims()), "", address}, kNow + 2)));
  CHECK(std::holds_alternative<IdentityRefusal>(fail(kNow + 3)));  // the third: now blocked
  const auto blocked = f.service.sign_in({f.token(f.claims("r2")), "", address}, kNow + 4);
  REQUIRE(std::holds_alternative<IdentityThrottled>(blocked));
  CHECK(std::get<IdentityThrottled>(blocked).retry_after_seconds == 599);
  // Two failures, then a pause longer than the window: the count starts over.
  const std::string other = "203.0.113.8";
  CHECK(std::holds_alternative<IdentityRefusal>(f.service.sign_in({"x", "", other}, kNow)));
  CHECK(std::holds_alternative<IdentityRefusal>(f.service.sign_in({"x", "", other}, kNow + 1)));
  CHECK(std::holds_alternative<IdentityRefusal>(f.service.sign_in({"x", "", other}, kNow + 700)));
  CHECK(std::holds_alternative<AssertedSignIn>(f.service.sign_in({f.token(test::good_claims("acme", kAudience, kNow + 700, "r3")), "", other}, kNow + 701)));
}
