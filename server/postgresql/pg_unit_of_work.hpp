#pragma once
// One transaction over every Pg* store of one pg::Database. The lent
// connection is bound to the calling thread for the length of run() (see
// pg::Database::transaction), so each store call made inside joins it.
//
// Isolation: READ COMMITTED, the house choice (pg_database.hpp). A use
// case that must not act on data changed under it locks the rows it
// derives from (AccountStore::lock_credential_version takes FOR SHARE on
// the user, ThrottleStore::lock takes FOR UPDATE on the entry): concurrent
// units take turns on those rows instead of aborting as SERIALIZABLE would.
// A serialization failure or deadlock that still happens reruns the whole
// of fn, a bounded number of times, which is why fn must have no effects
// outside the stores.

#include "postgresql/pg_database.hpp"
#include "storage/unit_of_work.hpp"

namespace stork {

class PgUnitOfWork final : public UnitOfWork {
 public:
  explicit PgUnitOfWork(pg::Database& db) : db_(db) {}

  void run(const std::function<void()>& fn) override {
    db_.transaction([&](pg::Connection&) { fn(); });
  }

 private:
  pg::Database& db_;
};

}  // namespace stork
