// IdentityService on a real SQLite file: replay, names from the claims,
// the account of (publisher, sub), a leaked token's origin.

#include "identity_tokens.hpp"

#include "accounts/sqlite_account_store.hpp"
#include "identity/identity_service.hpp"
#include "identity/sqlite_identity_store.hpp"
#include "publishers/publishers.hpp"
#include "publishers/sqlite_publisher_store.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

namespace {

using namespace stork;

constexpr UnixSeconds kNow = 1'800'000'000;
const std::string kAudience = "https://widget.example";

struct Fixture {
  test::TempDir dir;
  Database db{dir.file("identity.db")};
  SqliteAccountStore accounts{db};
  SqlitePublisherStore publisher_store{db};
  PublisherDirectory publishers{publisher_store};
  SqliteIdentityStore store{db};
  IdentityService service{store, accounts,
                          [this](const std::string& origin) { return publishers.key_for_origin(origin); },
                          VerifierPolicy{kAudience}};
  std::string secret = new_hs256_secret();

  Fixture() {
    publisher_store.add("acme", std::nullopt, {"https://acme.example"}, 0);
    publisher_store.add("beta", std::nullopt, {"https://beta.example"}, 0);
    publishers.refresh();
    REQUIRE(store.add_key({"acme-hs", "acme", JwsAlg::hs256, secret, 0}) == KeyAdded::added);
  }
  std::string token(const nlohmann::json& claims) { return test::mint("HS256", "acme-hs", secret, claims); }
  nlohmann::json claims(const std::string& sub = "r1") { return test::good_claims("acme", kAudience, kNow, sub); }
};

}  // namespace

TEST_CASE("IdentityService: signs in, then refuses the same token as replayed") {
  Fixture f;
  const std::string t = f.token(f.claims());
  const auto first = f.service.sign_in({t, "https://acme.example"}, kNow);
  REQUIRE(std::holds_alternative<AssertedSignIn>(first));
  CHECK(std::get<AssertedSignIn>(first).publisher == "acme");
  CHECK(std::get<AssertedSignIn>(first).user.first == "Ada");
  const auto again = f.service.sign_in({t, ""}, kNow + 1);
  REQUIRE(std::holds_alternative<IdentityRefusal>(again));
  CHECK(std::get<IdentityRefusal>(again) == IdentityRefusal::replayed);
}

TEST_CASE("IdentityService: a refused token does not spend its jti") {
  Fixture f;
  const std::string t = f.token(f.claims());
  CHECK(std::get<IdentityRefusal>(f.service.sign_in({t, "https://beta.example"}, kNow)) ==
        IdentityRefusal::wrong_origin);
  CHECK(std::holds_alternative<AssertedSignIn>(f.service.sign_in({t, "https://acme.example"}, kNow)));
}

TEST_CASE("IdentityService: one account per (publisher, sub), names refreshed; disabled is refused") {
  Fixture f;
  const auto a = std::get<AssertedSignIn>(f.service.sign_in({f.token(f.claims()), ""}, kNow));
  auto renamed = f.claims();
  renamed.erase("given_name");
  renamed.erase("family_name");
  renamed["name"] = "Ada King";
  const auto b = std::get<AssertedSignIn>(f.service.sign_in({f.token(renamed), ""}, kNow));
  CHECK(a.user.id == b.user.id);
  CHECK(b.user.first == "Ada King");
  CHECK(b.user.last.empty());
  CHECK(f.service.asserted_by(a.user.id) == std::optional<std::string>("acme"));
  CHECK(f.accounts.password_hash(a.user.id) == std::optional<std::string>(kNoPassword));
  CHECK_FALSE(verify_password("!asserted", kNoPassword));
  f.accounts.set_disabled(a.user.id, true);
  CHECK(std::get<IdentityRefusal>(f.service.sign_in({f.token(f.claims()), ""}, kNow)) ==
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
