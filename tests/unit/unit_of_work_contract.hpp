#pragma once
// The contract every UnitOfWork backend must pass. A backend's test
// provides a harness type H with a default constructor that makes a fresh,
// empty store in which users 1, 2 and 3 exist, with `UnitOfWork& unit()`
// and `SessionStore& sessions()` over the same backend (store calls made
// inside unit().run() must join its transaction); then:
// TEST_CASE_TEMPLATE_INVOKE(unit_of_work_contract, H);
//
// The session store stands for every store: it is the one every backend
// has, and what the unit does to it is what it does to any store.

#include "session_store_contract.hpp"
#include "storage/unit_of_work.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

namespace stork::contract {

// Raised by the cases themselves: the unit must hand it back unchanged.
struct UseCaseFailed : std::runtime_error {
  UseCaseFailed() : std::runtime_error("the use case gave up") {}
};

}  // namespace stork::contract

TEST_CASE_TEMPLATE_DEFINE("UnitOfWork contract", Harness, unit_of_work_contract) {
  using namespace stork;
  using namespace stork::contract;
  Harness harness;
  UnitOfWork& unit = harness.unit();
  SessionStore& sessions = harness.sessions();
  const std::string a = hash_token(new_session_token());
  const std::string b = hash_token(new_session_token());

  SUBCASE("writes of a unit that returns are committed together") {
    unit.run([&] {
      sessions.insert(a, make_session(1, kT0));
      sessions.insert(b, make_session(2, kT0));
    });
    CHECK(sessions.find(a).has_value());
    CHECK(sessions.find(b).has_value());
  }

  SUBCASE("an exception thrown inside undoes every write of the unit and comes back unchanged") {
    sessions.insert(a, make_session(1, kT0));
    CHECK_THROWS_AS(unit.run([&] {
      sessions.insert(b, make_session(2, kT0));
      sessions.touch(a, kT0 + 60);
      CHECK(sessions.remove_all_of_user(1) == 1);
      throw UseCaseFailed();
    }),
                    UseCaseFailed);
    CHECK_FALSE(sessions.find(b).has_value());
    const auto kept = sessions.find(a);
    REQUIRE(kept.has_value());
    CHECK(kept->last_seen_at == kT0);
  }

  SUBCASE("store calls inside a unit see the unit's own uncommitted writes") {
    unit.run([&] {
      sessions.insert(a, make_session(1, kT0));
      const auto found = sessions.find(a);
      REQUIRE(found.has_value());
      CHECK(found->user_id == 1);
      CHECK(sessions.list_of_user(1).size() == 1);
      CHECK(sessions.remove(a));
      CHECK_FALSE(sessions.find(a).has_value());
      sessions.insert(b, make_session(1, kT0));
    });
    CHECK_FALSE(sessions.find(a).has_value());
    CHECK(sessions.find(b).has_value());
  }

  SUBCASE("another thread does not see a unit's writes before it commits") {
    std::optional<bool> seen_from_outside;
    unit.run([&] {
      sessions.insert(a, make_session(1, kT0));
      std::thread other([&] { seen_from_outside = sessions.find(a).has_value(); });
      other.join();
    });
    REQUIRE(seen_from_outside.has_value());
    CHECK_FALSE(*seen_from_outside);
    CHECK(sessions.find(a).has_value());
  }

  SUBCASE("a nested run joins the outer unit: it commits and rolls back with it") {
    CHECK_THROWS_AS(unit.run([&] {
      sessions.insert(a, make_session(1, kT0));
      unit.run([&] {
        CHECK(sessions.find(a).has_value());
        sessions.insert(b, make_session(2, kT0));
      });
      CHECK(sessions.find(b).has_value());
      throw UseCaseFailed();
    }),
                    UseCaseFailed);
    CHECK_FALSE(sessions.find(a).has_value());
    CHECK_FALSE(sessions.find(b).has_value());

    unit.run([&] {
      unit.run([&] { sessions.insert(a, make_session(1, kT0)); });
      sessions.insert(b, make_session(2, kT0));
    });
    CHECK(sessions.find(a).has_value());
    CHECK(sessions.find(b).has_value());
  }

  SUBCASE("an exception from a nested run undoes the outer unit's writes too") {
    CHECK_THROWS_AS(unit.run([&] {
      sessions.insert(a, make_session(1, kT0));
      unit.run([&] {
        sessions.insert(b, make_session(2, kT0));
        throw UseCaseFailed();
      });
    }),
                    UseCaseFailed);
    CHECK_FALSE(sessions.find(a).has_value());
    CHECK_FALSE(sessions.find(b).has_value());
  }

  SUBCASE("run_returning hands back fn's result after committing") {
    const std::size_t removed = unit.run_returning([&] {
      sessions.insert(a, make_session(3, kT0));
      sessions.insert(b, make_session(3, kT0));
      return sessions.remove_all_of_user(3, a);
    });
    CHECK(removed == 1);
    CHECK(sessions.find(a).has_value());
    CHECK_FALSE(sessions.find(b).has_value());
  }

  SUBCASE("after a failed unit the next one works normally") {
    CHECK_THROWS_AS(unit.run([&] {
      sessions.insert(a, make_session(1, kT0));
      throw UseCaseFailed();
    }),
                    UseCaseFailed);
    unit.run([&] { sessions.insert(a, make_session(1, kT0)); });
    CHECK(sessions.find(a).has_value());
  }
}
