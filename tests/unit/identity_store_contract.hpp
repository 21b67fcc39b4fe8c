#pragma once
// The contract every IdentityStore backend must pass. A backend's test
// provides a harness type H with a default constructor that makes a fresh
// store in which publishers "acme" and "beta" and a password user 1 exist,
// and: `IdentityStore& store()`, `std::pair<std::string, std::string>
// names_of(std::int64_t user_id)`, `void remove_publisher(const std::string&)`;
// then: TEST_CASE_TEMPLATE_INVOKE(identity_store_contract, H);
//
// The concurrent cases call the store from several threads at once, each
// on its own connection, as several Stork processes would.

#include "identity/identity_store.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

namespace stork::contract {

inline PublisherKey key_of(const std::string& kid, const std::string& publisher, JwsAlg alg,
                           UnixSeconds created_at = 100) {
  return PublisherKey{kid, publisher, alg, "material of " + kid, created_at};
}

template <typename Fn>
void on_threads(int n, Fn fn) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) threads.emplace_back([&fn, i] { fn(i); });
  for (auto& t : threads) t.join();
}

}  // namespace stork::contract

TEST_CASE_TEMPLATE_DEFINE("IdentityStore contract", Harness, identity_store_contract) {
  using namespace stork;
  using namespace stork::contract;
  Harness harness;
  IdentityStore& store = harness.store();

  SUBCASE("a key is found by its kid with every field; an unknown kid is nothing") {
    const PublisherKey k = key_of("acme-1", "acme", JwsAlg::hs256, 1234);
    REQUIRE(store.add_key(k) == KeyAdded::added);
    const auto found = store.find_key("acme-1");
    REQUIRE(found.has_value());
    CHECK(found->kid == "acme-1");
    CHECK(found->publisher == "acme");
    CHECK(found->alg == JwsAlg::hs256);
    CHECK(found->material == "material of acme-1");
    CHECK(found->created_at == 1234);
    CHECK_FALSE(store.find_key("acme-2").has_value());
  }

  SUBCASE("a kid is unique across publishers; a key needs an existing publisher") {
    REQUIRE(store.add_key(key_of("k", "acme", JwsAlg::es256)) == KeyAdded::added);
    CHECK(store.add_key(key_of("k", "beta", JwsAlg::hs256)) == KeyAdded::kid_taken);
    CHECK(store.find_key("k")->publisher == "acme");
    CHECK(store.add_key(key_of("z", "nobody", JwsAlg::es256)) == KeyAdded::no_such_publisher);
    CHECK_FALSE(store.find_key("z").has_value());
  }

  SUBCASE("several keys per publisher, listed oldest first; removing one leaves the others") {
    REQUIRE(store.add_key(key_of("acme-new", "acme", JwsAlg::es256, 300)) == KeyAdded::added);
    REQUIRE(store.add_key(key_of("acme-old", "acme", JwsAlg::hs256, 200)) == KeyAdded::added);
    REQUIRE(store.add_key(key_of("beta-1", "beta", JwsAlg::es256, 100)) == KeyAdded::added);
    std::vector<std::string> acme;
    for (const auto& k : store.list_keys("acme")) acme.push_back(k.kid);
    CHECK(acme == std::vector<std::string>{"acme-old", "acme-new"});
    CHECK(store.list_keys("").size() == 3);
    CHECK(store.list_keys("nobody").empty());
    CHECK(store.remove_key("acme-old"));
    CHECK_FALSE(store.remove_key("acme-old"));
    CHECK_FALSE(store.find_key("acme-old").has_value());
    CHECK(store.find_key("acme-new").has_value());
  }

  SUBCASE("a jti is claimed once per publisher until it is purged after its expiry") {
    CHECK(store.claim_jti("acme", "j1", 1000));
    CHECK_FALSE(store.claim_jti("acme", "j1", 1000));
    CHECK_FALSE(store.claim_jti("acme", "j1", 5000));
    CHECK(store.claim_jti("beta", "j1", 1000));  // another publisher's ids are its own
    CHECK(store.claim_jti("acme", "j2", 2000));
    CHECK_FALSE(store.claim_jti("nobody", "j3", 1000));  // no publisher, no claim
    CHECK(store.purge_jtis(1000) == 0);  // kept through expires_at itself
    CHECK(store.purge_jtis(1001) == 2);
    CHECK_FALSE(store.claim_jti("acme", "j2", 2000));
    CHECK(store.claim_jti("acme", "j1", 3000));
  }

  SUBCASE("of many threads claiming one jti at once, exactly one succeeds") {
    std::atomic<int> won{0};
    on_threads(8, [&](int) {
      if (store.claim_jti("acme", "raced", 9000)) ++won;
    });
    CHECK(won.load() == 1);
  }

  SUBCASE("(publisher, sub) names one account, created once, its names refreshed") {
    const auto first = store.account_for({"acme", "reader-1", "Ada", "Lovelace"}, 10);
    REQUIRE(first.has_value());
    CHECK(*first != 1);
    CHECK(harness.names_of(*first) == std::pair<std::string, std::string>{"Ada", "Lovelace"});
    const auto again = store.account_for({"acme", "reader-1", "Ada", "King"}, 20);
    REQUIRE(again.has_value());
    CHECK(*again == *first);
    CHECK(harness.names_of(*first) == std::pair<std::string, std::string>{"Ada", "King"});
    CHECK(store.asserted_by(*first) == std::optional<std::string>("acme"));
    CHECK_FALSE(store.asserted_by(1).has_value());  // a password account
    CHECK_FALSE(store.asserted_by(987654).has_value());
  }

  SUBCASE("the same sub at another publisher is another account") {
    const auto at_acme = store.account_for({"acme", "same-sub", "A", ""}, 10);
    const auto at_beta = store.account_for({"beta", "same-sub", "B", ""}, 10);
    REQUIRE(at_acme.has_value());
    REQUIRE(at_beta.has_value());
    CHECK(*at_acme != *at_beta);
    CHECK(store.asserted_by(*at_acme) == std::optional<std::string>("acme"));
    CHECK(store.asserted_by(*at_beta) == std::optional<std::string>("beta"));
    CHECK_FALSE(store.account_for({"nobody", "same-sub", "C", ""}, 10).has_value());
  }

  SUBCASE("concurrent first sign-ins of one reader make one account") {
    std::vector<std::int64_t> ids(8);
    on_threads(8, [&](int i) { ids[i] = store.account_for({"acme", "racer", "R", ""}, 10).value_or(-1); });
    CHECK(std::set<std::int64_t>(ids.begin(), ids.end()).size() == 1);
    CHECK(ids[0] > 0);
  }

  SUBCASE("removing a publisher removes its keys, its used jtis and its accounts") {
    REQUIRE(store.add_key(key_of("acme-k", "acme", JwsAlg::es256)) == KeyAdded::added);
    REQUIRE(store.claim_jti("acme", "j", 1000));
    const auto acme_reader = store.account_for({"acme", "r", "R", ""}, 10);
    const auto beta_reader = store.account_for({"beta", "r", "R", ""}, 10);
    harness.remove_publisher("acme");
    CHECK_FALSE(store.find_key("acme-k").has_value());
    CHECK_FALSE(store.asserted_by(*acme_reader).has_value());
    CHECK(store.asserted_by(*beta_reader) == std::optional<std::string>("beta"));
    CHECK(harness.names_of(*acme_reader).first.empty());  // the account is gone
  }
}
