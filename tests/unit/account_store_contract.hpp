#pragma once
// The contract every AccountStore backend must pass. A backend's test
// provides a harness type H whose default constructor makes a fresh, empty
// database, with `AccountStore& accounts()` and `UnitOfWork& unit()` on it;
// then: TEST_CASE_TEMPLATE_INVOKE(account_store_contract, H);

#include "accounts/account_store.hpp"
#include "storage/unit_of_work.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>

TEST_CASE_TEMPLATE_DEFINE("AccountStore contract", Harness, account_store_contract) {
  using namespace stork;
  Harness harness;
  AccountStore& accounts = harness.accounts();
  const UnixSeconds t0 = 1'700'000'000;

  SUBCASE("add, then find by id and by name in any letter case") {
    const auto added = accounts.add({"Alice", "Alice", "Ärcher", "$argon2id$a"}, t0);
    REQUIRE(added);
    CHECK(added->id > 0);
    CHECK(added->credential_version == 0);
    for (const auto& found : {accounts.find("Alice"), accounts.find("alice"), accounts.find("ALICE"),
                              accounts.find(added->id)}) {
      REQUIRE(found);
      CHECK(found->id == added->id);
      CHECK(found->username == "Alice");
      CHECK(found->first == "Alice");
      CHECK(found->last == "Ärcher");
      CHECK_FALSE(found->disabled);
    }
    CHECK(accounts.password_hash(added->id) == "$argon2id$a");
    CHECK_FALSE(accounts.find("bob"));
    CHECK_FALSE(accounts.find(added->id + 1000));
    CHECK_FALSE(accounts.password_hash(added->id + 1000));
  }

  SUBCASE("a username is taken whatever its case") {
    REQUIRE(accounts.add({"carol", "C", "C", "h"}, t0));
    CHECK_FALSE(accounts.add({"CAROL", "C", "C", "h"}, t0));
    CHECK_FALSE(accounts.add({"carol", "C", "C", "h"}, t0));
  }

  SUBCASE("a password change and a disable raise the credential version; a re-hash does not") {
    const auto u = *accounts.add({"dave", "D", "D", "old"}, t0);
    CHECK(accounts.lock_credential_version(u.id) == 0);
    CHECK(accounts.set_password_hash(u.id, "new"));
    CHECK(accounts.password_hash(u.id) == "new");
    CHECK(accounts.find(u.id)->credential_version == 1);
    accounts.upgrade_password_hash(u.id, "stronger");
    CHECK(accounts.password_hash(u.id) == "stronger");
    CHECK(accounts.find(u.id)->credential_version == 1);
    CHECK(accounts.set_disabled(u.id, true));
    CHECK(accounts.find(u.id)->disabled);
    CHECK(accounts.find(u.id)->credential_version == 2);
    CHECK_FALSE(accounts.lock_credential_version(u.id));  // disabled: no sign-in
    CHECK(accounts.set_disabled(u.id, false));
    CHECK(accounts.lock_credential_version(u.id) == 3);
    CHECK_FALSE(accounts.set_password_hash(u.id + 1000, "x"));
    CHECK_FALSE(accounts.set_disabled(u.id + 1000, true));
    CHECK_FALSE(accounts.lock_credential_version(u.id + 1000));
  }

  SUBCASE("a credential change waits for a unit that locked the version") {
    const auto u = *accounts.add({"erin", "E", "E", "old"}, t0);
    std::atomic<bool> locked{false};
    std::atomic<bool> holder_done{false};
    std::atomic<bool> changed_before_holder_done{false};
    std::thread holder([&] {
      harness.unit().run([&] {
        REQUIRE(accounts.lock_credential_version(u.id) == 0);
        locked = true;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        holder_done = true;
      });
    });
    while (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    harness.unit().run([&] { accounts.set_password_hash(u.id, "new"); });
    changed_before_holder_done = !holder_done.load();
    holder.join();
    CHECK_FALSE(changed_before_holder_done.load());
    CHECK(accounts.find(u.id)->credential_version == 1);
  }

  SUBCASE("a unit that throws leaves nothing behind") {
    const auto u = *accounts.add({"fay", "F", "F", "old"}, t0);
    CHECK_THROWS_AS(harness.unit().run([&] {
      accounts.set_password_hash(u.id, "new");
      throw std::runtime_error("the use case failed half-way");
    }), std::runtime_error);
    CHECK(accounts.password_hash(u.id) == "old");
    CHECK(accounts.find(u.id)->credential_version == 0);
  }
}
