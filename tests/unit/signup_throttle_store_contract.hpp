#pragma once
// The contract every SignupThrottleStore backend must pass; the harness
// is described in account_side_contract.hpp. Then:
// TEST_CASE_TEMPLATE_INVOKE(signup_throttle_store_contract, H);

#include "account_side_contract.hpp"

#include <atomic>
#include <thread>
#include <vector>

TEST_CASE_TEMPLATE_DEFINE("SignupThrottleStore contract", H, signup_throttle_store_contract) {
  using namespace stork;
  using namespace stork::contract;
  H h;
  SignupThrottleStore& store = h.signup_throttle();
  constexpr std::int64_t window = 3600;

  SUBCASE("attempts count within a window that starts with the first one") {
    AttemptWindow w = store.record_attempt("198.51.100.7", kT0, window);
    CHECK(w.attempts == 1);
    CHECK(w.window_ends == kT0 + window);
    w = store.record_attempt("198.51.100.7", kT0 + 10, window);
    CHECK(w.attempts == 2);
    CHECK(w.window_ends == kT0 + window);
    w = store.record_attempt("198.51.100.7", kT0 + window - 1, window);
    CHECK(w.attempts == 3);
  }

  SUBCASE("the first attempt after a window ended starts a new one") {
    store.record_attempt("198.51.100.7", kT0, window);
    store.record_attempt("198.51.100.7", kT0 + 1, window);
    const AttemptWindow w = store.record_attempt("198.51.100.7", kT0 + window + 5, window);
    CHECK(w.attempts == 1);
    CHECK(w.window_ends == kT0 + window + 5 + window);
  }

  SUBCASE("addresses count apart") {
    store.record_attempt("198.51.100.7", kT0, window);
    store.record_attempt("198.51.100.7", kT0, window);
    CHECK(store.record_attempt("2001:db8::/64", kT0, window).attempts == 1);
  }

  SUBCASE("concurrent attempts from one address are all counted") {
    std::vector<std::thread> threads;
    std::atomic<int> errors{0};
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 25; ++i) {
          try {
            store.record_attempt("203.0.113.9", kT0 + 1, window);
          } catch (const std::exception&) {
            ++errors;
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    CHECK(errors == 0);
    CHECK(store.record_attempt("203.0.113.9", kT0 + 2, window).attempts == 101);
  }

  SUBCASE("purge forgets ended windows only") {
    store.record_attempt("198.51.100.7", kT0, window);
    store.record_attempt("203.0.113.9", kT0 + 100, window);
    CHECK(store.purge(kT0 + window, window) == 1);
    CHECK(store.purge(kT0 + window, window) == 0);
    CHECK(store.record_attempt("203.0.113.9", kT0 + window, window).attempts == 2);
    CHECK(store.record_attempt("198.51.100.7", kT0 + window, window).attempts == 1);
  }
}
