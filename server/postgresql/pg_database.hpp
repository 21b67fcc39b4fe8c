#pragma once
// One PostgreSQL database as the Pg* stores see it: a bounded pool, the
// schema brought up to date at start, and the storage edge where libpq's
// failures become Stork's StoreBusy / StoreError.
//
// Isolation: every call runs at READ COMMITTED, PostgreSQL's default.
// Single-statement calls (session lookups, touches, deletes) are atomic on
// their own. Calls that read before they write (a rating changes the
// product's aggregates by the difference with the previous rating) first
// lock the row they derive from (SELECT ... FOR UPDATE), so concurrent
// writers take turns on that row and each one reads the other's commit:
// exact without SERIALIZABLE's aborts. A transaction that still fails with
// a serialization failure or a deadlock is run again, a bounded number of
// times.

#include "postgresql/pg_pool.hpp"
#include "storage/errors.hpp"

#include <chrono>
#include <string>
#include <thread>
#include <type_traits>

namespace stork::pg {

// True when `db` names a PostgreSQL database (a libpq URI).
bool is_postgresql_url(const std::string& db);

// Throws the Stork error for a libpq failure: StoreBusy when trying again
// shortly may succeed (connection lost or refused, pool exhausted, server
// starting or shutting down, serialization failure, deadlock, lock
// timeout), StoreError otherwise.
[[noreturn]] void throw_store_error(const Failure& f);

inline constexpr int kMaxAttempts = 5;

class Database {
 public:
  // Connects, and applies pending migrations under an advisory lock (two
  // processes starting at once migrate once). Throws StoreBusy / StoreError.
  Database(const std::string& url, PoolOptions options = {});

  Pool& pool() { return pool_; }
  int schema_version();
  // One round trip to the server: false while it is unreachable.
  bool reachable();

  // Runs fn(Connection&) on a lent connection, outside any transaction:
  // for single statements. Translates failures.
  template <typename Fn>
  decltype(auto) run(Fn&& fn) {
    try {
      auto conn = pool_.acquire();
      return fn(*conn);
    } catch (const Failure& f) {
      throw_store_error(f);
    }
  }

  // Runs fn(Connection&) inside BEGIN ... COMMIT at READ COMMITTED, again
  // (up to kMaxAttempts) after a serialization failure or deadlock.
  template <typename Fn>
  decltype(auto) transaction(Fn&& fn) {
    for (int attempt = 1;; ++attempt) {
      try {
        auto conn = pool_.acquire();
        conn->exec("BEGIN");
        try {
          if constexpr (std::is_void_v<decltype(fn(*conn))>) {
            fn(*conn);
            conn->exec("COMMIT");
            return;
          } else {
            auto result = fn(*conn);
            conn->exec("COMMIT");
            return result;
          }
        } catch (...) {
          rollback(*conn);
          throw;
        }
      } catch (const Failure& f) {
        if (!f.retryable() || attempt == kMaxAttempts) throw_store_error(f);
        std::this_thread::sleep_for(std::chrono::milliseconds(attempt * attempt));
      }
    }
  }

 private:
  static void rollback(Connection& conn);
  void migrate();

  Pool pool_;
};

}  // namespace stork::pg
