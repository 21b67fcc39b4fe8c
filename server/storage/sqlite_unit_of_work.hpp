#pragma once
// UnitOfWork on one SQLite file: BEGIN IMMEDIATE on the thread's
// connection (write_transaction). Every SQLite store reaches the file
// through the same per-thread connection, so their calls inside run()
// join the transaction. IMMEDIATE takes the write lock at the start, so
// a unit's reads are already exclusive of every other writer, in this
// process and in others: what the PostgreSQL backend does with row locks
// (FOR UPDATE / FOR SHARE), SQLite gets from its single writer.

#include "storage/database.hpp"
#include "storage/sqlite_errors.hpp"
#include "storage/unit_of_work.hpp"

namespace stork {

class SqliteUnitOfWork final : public UnitOfWork {
 public:
  explicit SqliteUnitOfWork(Database& db) : db_(db) {}
  void run(const std::function<void()>& fn) override {
    translate_sqlite_errors([&] { write_transaction(db_.connection(), fn); });
  }

 private:
  Database& db_;
};

}  // namespace stork
