#pragma once
// The contract every ThrottleStore backend must pass. A backend's test
// provides a harness type H whose default constructor makes a fresh, empty
// database in which user 1 exists, with `ThrottleStore& throttle()` and
// `UnitOfWork& unit()` on it; then:
// TEST_CASE_TEMPLATE_INVOKE(throttle_store_contract, H);

#include "accounts/throttle_store.hpp"
#include "storage/unit_of_work.hpp"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

TEST_CASE_TEMPLATE_DEFINE("ThrottleStore contract", Harness, throttle_store_contract) {
  using namespace stork;
  Harness harness;
  ThrottleStore& store = harness.throttle();
  UnitOfWork& unit = harness.unit();
  const UnixSeconds t0 = 1'700'000'000;

  SUBCASE("an unknown key is all zero; saved entries come back whole; remove forgets") {
    unit.run([&] { CHECK(store.lock("ip:192.0.2.1") == ThrottleEntry{}); });
    const ThrottleEntry e{3, t0, t0 + 600, 2, t0 - 5};
    unit.run([&] { store.save("ip:192.0.2.1", e); });
    unit.run([&] { CHECK(store.lock("ip:192.0.2.1") == e); });
    unit.run([&] { store.save("ip:192.0.2.1", ThrottleEntry{4, t0 + 1, 0, 0, t0}); });
    unit.run([&] { CHECK(store.lock("ip:192.0.2.1").failures == 4); });
    unit.run([&] { store.remove("ip:192.0.2.1"); });
    unit.run([&] { CHECK(store.lock("ip:192.0.2.1") == ThrottleEntry{}); });
  }

  SUBCASE("purge keeps what still blocks, was recent, or is in flight") {
    unit.run([&] {
      store.save("blocking", ThrottleEntry{1, t0 - 7200, t0 + 10, 0, 0});
      store.save("recent", ThrottleEntry{1, t0 - 10, 0, 0, 0});
      store.save("in-flight", ThrottleEntry{1, t0 - 7200, 0, 1, t0 - 5});
      store.save("stale-in-flight", ThrottleEntry{1, t0 - 7200, 0, 1, t0 - 600});
      store.save("old", ThrottleEntry{1, t0 - 7200, t0 - 3600, 0, 0});
    });
    std::size_t purged = 0;
    unit.run([&] { purged = store.purge(t0, t0 - 3600, t0 - 30); });
    CHECK(purged == 2);
    unit.run([&] {
      CHECK(store.lock("blocking").failures == 1);
      CHECK(store.lock("recent").failures == 1);
      CHECK(store.lock("in-flight").failures == 1);
      CHECK(store.lock("stale-in-flight") == ThrottleEntry{});
      CHECK(store.lock("old") == ThrottleEntry{});
    });
  }

  SUBCASE("concurrent read-modify-writes of one key lose no update") {
    constexpr int kThreads = 8;
    constexpr int kEach = 10;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < kEach; ++i) {
          unit.run([&] {
            ThrottleEntry e = store.lock("user:contended");
            e.failures += 1;
            store.save("user:contended", e);
          });
        }
      });
    }
    for (auto& t : threads) t.join();
    unit.run([&] { CHECK(store.lock("user:contended").failures == kThreads * kEach); });
  }

  SUBCASE("trusted devices: issued to one user, forgotten when distrusted or old") {
    store.trust_device("hash-a", 1, t0);
    store.trust_device("hash-b", 1, t0 + 100);
    CHECK(store.trusted_device_user("hash-a") == 1);
    CHECK_FALSE(store.trusted_device_user("hash-unknown"));
    store.distrust_device("hash-a");
    CHECK_FALSE(store.trusted_device_user("hash-a"));
    CHECK(store.purge_devices(t0 + 50) == 0);
    CHECK(store.purge_devices(t0 + 101) == 1);
    CHECK_FALSE(store.trusted_device_user("hash-b"));
  }
}
