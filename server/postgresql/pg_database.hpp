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
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace stork::pg {

// True when `db` names a PostgreSQL database (a libpq URI).
bool is_postgresql_url(const std::string& db);

// "PostgreSQL database stork on 127.0.0.1:5432 as stork", for messages
// and logs: never the password, whichever way the URL carries it.
std::string describe_url(const std::string& url);

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
  // for single statements. Translates failures. On a thread inside
  // transaction() it runs on that transaction's connection instead.
  template <typename Fn>
  decltype(auto) run(Fn&& fn) {
    Bound* bound = bound_here();
    if (bound && bound->failed) return joined(*bound, fn);
    try {
      if (bound) return fn(connection(*bound));  // a ConnectionScope's
      auto conn = pool_.acquire();
      return fn(*conn);
    } catch (const Failure& f) {
      throw_store_error(f);
    }
  }

  // Keeps one lent connection bound to this thread while it lives, outside
  // any transaction: the run() calls of one request share it instead of
  // each taking one from the pool (the pool's lock was a fifth of Stork's
  // CPU on the product read), and a transaction() inside runs on it. The
  // connection is taken at the first statement, so a request answered
  // without one (from a read cache) never waits for the pool. Nests:
  // inside a scope or a transaction it does nothing.
  class ConnectionScope;

  // Runs fn(Connection&) inside BEGIN ... COMMIT at READ COMMITTED, again
  // (up to kMaxAttempts) after a serialization failure or deadlock.
  //
  // While fn runs, the lent connection is bound to this thread: every
  // run() and transaction() of this Database on this thread, however deep
  // in the stores, uses it, so a unit of work (PgUnitOfWork) spanning
  // several stores is one transaction without passing a connection
  // around. A nested transaction() joins the outer one (no savepoint).
  //
  // A failure inside is translated for the code in between (it sees only
  // StoreBusy / StoreError) and also remembered here: PostgreSQL aborts the
  // whole transaction on any error, so even if that code catches it and
  // carries on, this never commits; a serialization failure or deadlock
  // anywhere inside reruns all of fn, not just the statement that failed.
  template <typename Fn>
  decltype(auto) transaction(Fn&& fn) {
    Bound* scope = bound_here();
    if (scope && scope->failed) return joined(*scope, fn);
    for (int attempt = 1;; ++attempt) {
      const bool last = attempt == kMaxAttempts;
      std::optional<Failure> failed_inside;
      try {
        std::optional<Pool::Lease> lease;  // none inside a ConnectionScope: its connection
        if (!scope) lease.emplace(pool_.acquire());
        Connection* conn = scope ? &connection(*scope) : &**lease;
        conn->exec("BEGIN");
        try {
          const Binding binding(*this, conn, &failed_inside);
          if constexpr (std::is_void_v<decltype(fn(*conn))>) {
            fn(*conn);
            if (failed_inside) throw Failure(*failed_inside);
            conn->exec("COMMIT");
            return;
          } else {
            auto result = fn(*conn);
            if (failed_inside) throw Failure(*failed_inside);
            conn->exec("COMMIT");
            return result;
          }
        } catch (...) {
          rollback(*conn);
          throw;
        }
      } catch (const Failure& f) {
        if (!f.retryable() || last) throw_store_error(f);
      } catch (const StoreError&) {
        // Translated inside: rerun only if what failed inside may pass now.
        if (!failed_inside || !failed_inside->retryable() || last) throw;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(attempt * attempt));
    }
  }

  // Whether this thread is inside transaction() of this Database.
  bool in_transaction() const { return bound_here() != nullptr; }

 private:
  // The transaction this thread is inside: its connection, and the first
  // failure of a statement run in it; or a ConnectionScope (failed null,
  // conn null until its first statement).
  struct Bound {
    const Database* db;
    Connection* conn;
    std::optional<Failure>* failed;
    ConnectionScope* scope;
  };

  // The bound connection; a ConnectionScope's is taken from the pool on
  // first use. Throws Failure when the pool has none.
  Connection& connection(Bound& bound);

  // Binds conn to this thread for this Database while it lives.
  class Binding {
   public:
    Binding(const Database& db, Connection* conn, std::optional<Failure>* failed,
            ConnectionScope* scope = nullptr);
    ~Binding();
    Binding(const Binding&) = delete;
    Binding& operator=(const Binding&) = delete;

   private:
    const Database& db_;
  };

  // The innermost binding of this Database on this thread.
  Bound* bound_here() const;
  // Per thread: the transactions it is inside, one per Database (usually
  // none or one, so a short list beats a map).
  static thread_local std::vector<Bound> bound_transactions_;

  template <typename Fn>
  static decltype(auto) joined(Bound& bound, Fn& fn) {
    try {
      return fn(*bound.conn);
    } catch (const Failure& f) {
      if (!*bound.failed) bound.failed->emplace(f);
      throw_store_error(f);
    }
  }

  static void rollback(Connection& conn);
  void migrate();

  Pool pool_;
};

class Database::ConnectionScope {
 public:
  explicit ConnectionScope(Database& db);
  ConnectionScope(const ConnectionScope&) = delete;
  ConnectionScope& operator=(const ConnectionScope&) = delete;

 private:
  friend class Database;
  // Destroyed in reverse: unbound first, then given back.
  std::optional<Pool::Lease> lease_;
  std::optional<Binding> binding_;
};

}  // namespace stork::pg
