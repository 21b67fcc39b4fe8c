// PostgreSQL only: what the row locks and the unit of work guarantee when
// several connections (as several processes would) work on the same rows.

#include "session_store_contract.hpp"

#include "pg_store_fixture.hpp"
#include "postgresql/pg_account_store.hpp"
#include "postgresql/pg_session_store.hpp"
#include "postgresql/pg_throttle_store.hpp"
#include "postgresql/pg_unit_of_work.hpp"

#include <atomic>
#include <barrier>
#include <chrono>
#include <thread>
#include <vector>

using namespace stork;
using test::PgFixture;

TEST_SUITE_BEGIN("postgresql");

TEST_CASE("PostgreSQL: a unit that deadlocks with another is run again from the start") {
  PgFixture fixture(2);
  PgUnitOfWork unit(fixture.db());
  PgSessionStore sessions(fixture.db());
  const std::string a = hash_token(new_session_token());
  const std::string b = hash_token(new_session_token());
  sessions.insert(a, contract::make_session(1, contract::kT0));
  sessions.insert(b, contract::make_session(2, contract::kT0));
  // Each unit locks one session row, waits until the other has locked the
  // other row, then asks for it: PostgreSQL breaks the cycle by failing
  // one of them with 40P01, and that one must be rerun whole (its first
  // touch again too), not resumed.
  std::barrier both_locked(2);
  std::atomic<int> runs{0};
  const auto crossing = [&](const std::string& first, const std::string& second, UnixSeconds at) {
    bool first_run = true;
    unit.run([&] {
      ++runs;
      sessions.touch(first, at);
      if (first_run) {
        first_run = false;
        both_locked.arrive_and_wait();
      }
      sessions.touch(second, at);
    });
  };
  std::atomic<int> errors{0};
  std::thread one([&] {
    try {
      crossing(a, b, contract::kT0 + 10);
    } catch (const std::exception&) {
      ++errors;
    }
  });
  std::thread two([&] {
    try {
      crossing(b, a, contract::kT0 + 20);
    } catch (const std::exception&) {
      ++errors;
    }
  });
  one.join();
  two.join();
  CHECK(errors == 0);
  // One of them ran again (both, when their deadlock checks ran at the
  // same moment and PostgreSQL chose each as a victim).
  CHECK(runs.load() >= 3);
  CHECK(runs.load() <= 4);
  // Both units committed, one after the other: both rows carry the time
  // of the same unit, the one that ran last.
  const auto sa = sessions.find(a);
  const auto sb = sessions.find(b);
  REQUIRE(sa.has_value());
  REQUIRE(sb.has_value());
  CHECK(sa->last_seen_at == sb->last_seen_at);
}

TEST_CASE("PostgreSQL: a storage failure inside a unit is a StoreError there, and the unit never commits") {
  PgFixture fixture(1);
  PgUnitOfWork unit(fixture.db());
  PgSessionStore sessions(fixture.db());
  const std::string a = hash_token(new_session_token());
  Session orphan = contract::make_session(1, contract::kT0);
  orphan.user_id = 42;  // no such user
  bool caught_inside = false;
  // The use case sees Stork's error type, and even when it swallows it the
  // unit fails: PostgreSQL has aborted the transaction, and a COMMIT of it
  // would silently roll back what the use case believes it wrote.
  try {
    unit.run([&] {
      sessions.insert(a, contract::make_session(1, contract::kT0));
      try {
        sessions.insert(hash_token(new_session_token()), orphan);
      } catch (const StoreBusy&) {
        FAIL("a constraint violation is not busy");
      } catch (const StoreError&) {
        caught_inside = true;
      }
    });
    FAIL("the unit must fail");
  } catch (const StoreBusy&) {
    FAIL("a constraint violation is not busy");
  } catch (const StoreError&) {
  }
  CHECK(caught_inside);
  CHECK_FALSE(sessions.find(a).has_value());
  // The connection went back to the pool clean: the next unit works.
  unit.run([&] { sessions.insert(a, contract::make_session(1, contract::kT0)); });
  CHECK(sessions.find(a).has_value());
}

TEST_CASE("PostgreSQL: concurrent lockers of one throttle key take turns, across pools") {
  PgFixture fixture(0);
  // Two Databases, each with its own pool: two processes as far as
  // PostgreSQL can tell.
  pg::Database other(test::pg_store_url(), pg::PoolOptions{4, std::chrono::milliseconds(5000)});
  PgUnitOfWork unit_a(fixture.db());
  PgUnitOfWork unit_b(other);
  PgThrottleStore store_a(fixture.db());
  PgThrottleStore store_b(other);
  constexpr int kThreads = 4;
  constexpr int kRounds = 25;
  std::atomic<int> errors{0};
  std::atomic<int> inside{0};
  std::atomic<int> overlaps{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      UnitOfWork& unit = t % 2 ? unit_b : unit_a;
      ThrottleStore& store = t % 2 ? store_b : store_a;
      for (int i = 0; i < kRounds; ++i) {
        try {
          unit.run([&] {
            ThrottleEntry e = store.lock("user:alice");
            if (++inside > 1) ++overlaps;
            // A read-modify-write that loses counts unless lockers take turns.
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            ++e.failures;
            e.last_failure = 1000 + i;
            --inside;
            store.save("user:alice", e);
          });
        } catch (const std::exception&) {
          ++errors;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(errors == 0);
  CHECK(overlaps == 0);
  ThrottleEntry final_entry;
  unit_a.run([&] { final_entry = store_a.lock("user:alice"); });
  CHECK(final_entry.failures == kThreads * kRounds);
}

TEST_CASE("PostgreSQL: a throttle lock on a new key holds off a second locker until commit") {
  PgFixture fixture(0);
  PgUnitOfWork unit(fixture.db());
  PgThrottleStore store(fixture.db());
  std::atomic<bool> first_holds{false};
  std::atomic<bool> first_done{false};
  bool second_waited = false;
  std::thread first([&] {
    unit.run([&] {
      CHECK(store.lock("ip:198.51.100.7") == ThrottleEntry{});
      first_holds = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      store.save("ip:198.51.100.7", ThrottleEntry{1, 50, 0, 1, 50});
      first_done = true;
    });
  });
  while (!first_holds) std::this_thread::yield();
  ThrottleEntry seen;
  unit.run([&] {
    seen = store.lock("ip:198.51.100.7");
    second_waited = first_done;
  });
  first.join();
  CHECK(second_waited);
  CHECK(seen == ThrottleEntry{1, 50, 0, 1, 50});
}

TEST_CASE("PostgreSQL: a password change waits for a sign-in holding the credential version") {
  PgFixture fixture(1);
  PgUnitOfWork unit(fixture.db());
  PgAccountStore accounts(fixture.db());
  PgSessionStore sessions(fixture.db());
  const std::string token = hash_token(new_session_token());
  std::atomic<bool> locked{false};
  std::thread sign_in([&] {
    unit.run([&] {
      REQUIRE(accounts.lock_credential_version(1) == std::optional<std::int64_t>(0));
      locked = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      sessions.insert(token, contract::make_session(1, contract::kT0));
    });
  });
  while (!locked) std::this_thread::yield();
  CHECK(accounts.set_password_hash(1, "$argon2id$new"));
  // The change went after the sign-in's unit had committed its session,
  // so the use case can go on to end that session too.
  CHECK(sessions.find(token).has_value());
  sign_in.join();
  CHECK(accounts.find(std::int64_t{1})->credential_version == 1);
  CHECK(unit.run_returning([&] { return accounts.lock_credential_version(1); }) ==
        std::optional<std::int64_t>(1));
}

TEST_CASE("PostgreSQL: a sign-in that locks after a disable commits sees the user disabled") {
  PgFixture fixture(1);
  PgUnitOfWork unit(fixture.db());
  PgAccountStore accounts(fixture.db());
  std::atomic<bool> disabling{false};
  std::optional<std::int64_t> seen{-1};
  std::thread disable([&] {
    unit.run([&] {
      CHECK(accounts.set_disabled(1, true));
      disabling = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    });
  });
  while (!disabling) std::this_thread::yield();
  // Waits for the disable's row lock, then re-reads the row: gone for sign-in.
  seen = unit.run_returning([&] { return accounts.lock_credential_version(1); });
  disable.join();
  CHECK_FALSE(seen.has_value());
}

TEST_CASE("PostgreSQL: usernames are one account whatever their case") {
  PgFixture fixture(0);
  PgAccountStore accounts(fixture.db());
  const auto alice = accounts.add({"Alice", "A", "L", "$argon2id$x"}, 5);
  REQUIRE(alice.has_value());
  CHECK_FALSE(accounts.add({"alice", "A", "L", "$argon2id$y"}, 6).has_value());
  CHECK_FALSE(accounts.add({"ALICE", "A", "L", "$argon2id$y"}, 6).has_value());
  const auto found = accounts.find(std::string_view("aLiCe"));
  REQUIRE(found.has_value());
  CHECK(found->id == alice->id);
  CHECK(found->username == "Alice");
  CHECK(accounts.password_hash(alice->id) == std::optional<std::string>("$argon2id$x"));
  accounts.upgrade_password_hash(alice->id, "$argon2id$stronger");
  CHECK(accounts.find(alice->id)->credential_version == 0);
  CHECK(accounts.set_password_hash(alice->id, "$argon2id$z"));
  CHECK(accounts.set_disabled(alice->id, true));
  CHECK(accounts.find(alice->id)->credential_version == 2);
  CHECK(accounts.find(alice->id)->disabled);
  CHECK_FALSE(accounts.set_disabled(999, true));
  CHECK_FALSE(accounts.find(std::string_view("bob")).has_value());
}

TEST_SUITE_END();
