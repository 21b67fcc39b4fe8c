#pragma once
// The contract every RefreshTokenStore backend must pass. A backend's test
// provides a harness type H with a default constructor that makes a fresh,
// empty store in which users 1 and 2 exist, and `RefreshTokenStore& store()`;
// then: TEST_CASE_TEMPLATE_INVOKE(refresh_token_store_contract, H);

#include "sessions/refresh_token_store.hpp"
#include "sessions/token.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace stork::contract {

inline RefreshRecord refresh_record(const std::string& family, std::int64_t user, UnixSeconds at) {
  return {hash_token(new_session_token()), family, user, at, std::nullopt};
}

}  // namespace stork::contract

TEST_CASE_TEMPLATE_DEFINE("RefreshTokenStore contract", Harness, refresh_token_store_contract) {
  using namespace stork;
  using namespace stork::contract;
  Harness harness;
  RefreshTokenStore& store = harness.store();
  constexpr UnixSeconds t0 = 1'700'000'000;

  SUBCASE("insert then find gives every field; an unknown hash is nothing") {
    const RefreshRecord r = refresh_record("family-a", 1, t0);
    store.insert(r);
    const auto found = store.find(r.token_hash);
    REQUIRE(found.has_value());
    CHECK(found->token_hash == r.token_hash);
    CHECK(found->family_id == "family-a");
    CHECK(found->user_id == 1);
    CHECK(found->issued_at == t0);
    CHECK_FALSE(found->spent_at.has_value());
    CHECK_FALSE(store.find(hash_token(new_session_token())).has_value());
  }

  SUBCASE("rotate spends the current token and adds its successor") {
    const RefreshRecord first = refresh_record("family-a", 1, t0);
    store.insert(first);
    const RefreshRecord second = refresh_record("family-a", 1, t0 + 5);
    REQUIRE(store.rotate(first.token_hash, second, t0 + 5));
    const auto spent = store.find(first.token_hash);
    REQUIRE(spent.has_value());
    REQUIRE(spent->spent_at.has_value());
    CHECK(*spent->spent_at == t0 + 5);
    const auto current = store.find(second.token_hash);
    REQUIRE(current.has_value());
    CHECK_FALSE(current->spent_at.has_value());
    CHECK(current->issued_at == t0 + 5);
  }

  SUBCASE("a spent, unknown or other family's token cannot be rotated, and nothing is added") {
    const RefreshRecord first = refresh_record("family-a", 1, t0);
    store.insert(first);
    REQUIRE(store.rotate(first.token_hash, refresh_record("family-a", 1, t0 + 1), t0 + 1));
    const RefreshRecord again = refresh_record("family-a", 1, t0 + 2);
    CHECK_FALSE(store.rotate(first.token_hash, again, t0 + 2));
    CHECK_FALSE(store.find(again.token_hash).has_value());
    const RefreshRecord stray = refresh_record("family-a", 1, t0 + 2);
    CHECK_FALSE(store.rotate(hash_token(new_session_token()), stray, t0 + 2));
    CHECK_FALSE(store.find(stray.token_hash).has_value());
    const RefreshRecord other = refresh_record("family-b", 1, t0);
    store.insert(other);
    const RefreshRecord hijack = refresh_record("family-a", 1, t0 + 3);
    CHECK_FALSE(store.rotate(other.token_hash, hijack, t0 + 3));
    CHECK_FALSE(store.find(other.token_hash)->spent_at.has_value());
  }

  SUBCASE("of concurrent rotations of one token exactly one wins") {
    const RefreshRecord first = refresh_record("family-a", 1, t0);
    store.insert(first);
    std::atomic<int> wins{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&, i] {
        if (store.rotate(first.token_hash, refresh_record("family-a", 1, t0 + 1 + i), t0 + 1)) ++wins;
      });
    }
    for (auto& t : threads) t.join();
    CHECK(wins.load() == 1);
  }

  SUBCASE("remove_family removes that family only; remove_all_of_user that user's only") {
    const RefreshRecord a1 = refresh_record("family-a", 1, t0);
    store.insert(a1);
    const RefreshRecord a2 = refresh_record("family-a", 1, t0 + 1);
    REQUIRE(store.rotate(a1.token_hash, a2, t0 + 1));
    const RefreshRecord b = refresh_record("family-b", 1, t0);
    store.insert(b);
    const RefreshRecord c = refresh_record("family-c", 2, t0);
    store.insert(c);
    CHECK(store.remove_family("family-a") == 2);
    CHECK_FALSE(store.find(a1.token_hash).has_value());
    CHECK_FALSE(store.find(a2.token_hash).has_value());
    CHECK(store.find(b.token_hash).has_value());
    CHECK(store.remove_all_of_user(1) == 1);
    CHECK_FALSE(store.find(b.token_hash).has_value());
    CHECK(store.find(c.token_hash).has_value());
  }

  SUBCASE("purge_issued_before drops old tokens, keeps newer ones") {
    const RefreshRecord old_one = refresh_record("family-a", 1, t0);
    const RefreshRecord new_one = refresh_record("family-b", 1, t0 + 100);
    store.insert(old_one);
    store.insert(new_one);
    CHECK(store.purge_issued_before(t0 + 50) == 1);
    CHECK_FALSE(store.find(old_one.token_hash).has_value());
    CHECK(store.find(new_one.token_hash).has_value());
  }
}
