#pragma once
// The contract every ResetLinkStore backend must pass; the harness is
// described in account_side_contract.hpp. Then:
// TEST_CASE_TEMPLATE_INVOKE(reset_link_store_contract, H);

#include "account_side_contract.hpp"

#include <atomic>
#include <thread>
#include <vector>

TEST_CASE_TEMPLATE_DEFINE("ResetLinkStore contract", H, reset_link_store_contract) {
  using namespace stork;
  using namespace stork::contract;
  H h;
  ResetLinkStore& links = h.reset_links();
  SessionStore& sessions = h.sessions();
  const std::string link = hash_token(new_session_token());

  SUBCASE("a link names its user until it expires; an unknown one names nobody") {
    links.put(1, link, kT0, kT0 + 600);
    CHECK(links.user_of(link, kT0) == std::optional<std::int64_t>(1));
    CHECK(links.user_of(link, kT0 + 599) == std::optional<std::int64_t>(1));
    CHECK_FALSE(links.user_of(link, kT0 + 600).has_value());
    CHECK_FALSE(links.user_of(hash_token(new_session_token()), kT0).has_value());
  }

  SUBCASE("a newer link of the same user voids the older") {
    links.put(1, link, kT0, kT0 + 600);
    const std::string newer = hash_token(new_session_token());
    links.put(1, newer, kT0 + 10, kT0 + 610);
    CHECK_FALSE(links.user_of(link, kT0 + 20).has_value());
    CHECK(links.user_of(newer, kT0 + 20) == std::optional<std::int64_t>(1));
    CHECK_FALSE(links.redeem(link, "$argon2id$new", kT0 + 20).has_value());
  }

  SUBCASE("redeem sets the password, ends the user's sessions only, and uses the link up") {
    links.put(1, link, kT0, kT0 + 600);
    const std::string mine = hash_token(new_session_token());
    const std::string theirs = hash_token(new_session_token());
    sessions.insert(mine, make_session(1, kT0));
    sessions.insert(theirs, make_session(2, kT0));
    CHECK(links.redeem(link, "$argon2id$new", kT0 + 60) == std::optional<std::int64_t>(1));
    CHECK(h.password_hash(1) == "$argon2id$new");
    CHECK(h.password_hash(2) == kInitialHash);
    CHECK_FALSE(sessions.find(mine).has_value());
    CHECK(sessions.find(theirs).has_value());
    CHECK_FALSE(links.user_of(link, kT0 + 60).has_value());
    CHECK_FALSE(links.redeem(link, "$argon2id$again", kT0 + 61).has_value());
    CHECK(h.password_hash(1) == "$argon2id$new");
  }

  SUBCASE("an expired link changes nothing") {
    links.put(1, link, kT0, kT0 + 600);
    const std::string mine = hash_token(new_session_token());
    sessions.insert(mine, make_session(1, kT0));
    CHECK_FALSE(links.redeem(link, "$argon2id$new", kT0 + 600).has_value());
    CHECK(h.password_hash(1) == kInitialHash);
    CHECK(sessions.find(mine).has_value());
  }

  SUBCASE("of concurrent redemptions of one link exactly one wins") {
    links.put(2, link, kT0, kT0 + 600);
    std::atomic<int> wins{0};
    std::atomic<int> errors{0};
    std::vector<std::thread> racers;
    for (int i = 0; i < 4; ++i) {
      racers.emplace_back([&, i] {
        try {
          if (links.redeem(link, "$argon2id$racer" + std::to_string(i), kT0 + 1)) ++wins;
        } catch (const std::exception&) {
          ++errors;
        }
      });
    }
    for (auto& t : racers) t.join();
    CHECK(errors == 0);
    CHECK(wins == 1);
  }

  SUBCASE("purge forgets expired links only") {
    links.put(1, link, kT0, kT0 + 100);
    const std::string later = hash_token(new_session_token());
    links.put(2, later, kT0, kT0 + 900);
    CHECK(links.purge(kT0 + 100) == 1);
    CHECK(links.purge(kT0 + 100) == 0);
    CHECK(links.user_of(later, kT0 + 100) == std::optional<std::int64_t>(2));
  }
}
