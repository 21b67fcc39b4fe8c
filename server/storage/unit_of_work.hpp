#pragma once
// One transaction over every store of a backend. A use case that writes
// more than one row (a password change ends the other sessions, a sign-in
// checks the credentials are still current and inserts its session) runs
// its store calls inside UnitOfWork::run, so that they commit together or
// not at all, and so that the rows it locks keep concurrent use cases out
// until it commits.
//
// Stores need no transaction parameter: a store call made on the thread
// that is inside run() joins that transaction (the SQLite backend runs it
// on the thread's connection, the PostgreSQL backend binds the lent
// connection to the thread). Nested run() calls join the outer one.

#include <functional>
#include <optional>

namespace stork {

class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;

  // Runs fn as one transaction. The backend may run fn again after a
  // serialization failure or deadlock (a bounded number of times), so fn
  // must have no effects outside the stores: hash passwords and make
  // tokens before, not inside. Throws StoreBusy / StoreError (and rolls
  // back) on storage failures, and rethrows fn's own exceptions after
  // rolling back.
  virtual void run(const std::function<void()>& fn) = 0;

  // The same, returning fn's result.
  template <typename Fn>
  auto run_returning(Fn&& fn) -> decltype(fn()) {
    std::optional<decltype(fn())> out;
    run([&] { out.emplace(fn()); });
    return std::move(*out);
  }
};

}  // namespace stork
