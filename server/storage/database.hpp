#pragma once
// One SQLite file, reached through one connection per thread.
//
// Why a connection per thread: a SQLite connection must not run statements
// from two threads at once, and a single shared connection behind a mutex
// would serialize every request. With WAL, readers on their own connections
// never block each other or the writer, and each connection keeps its own
// prepared statements, so a request re-binds a statement instead of
// compiling SQL again.

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace stork {

class Connection {
 public:
  // writers: shared by all connections of one Database (see write_transaction).
  Connection(const std::string& path, std::mutex& writers);

  SQLite::Database& db() { return db_; }
  std::mutex& writers() { return writers_; }

  // A statement compiled once per connection; the returned guard resets it
  // (and clears its bindings) when it goes out of scope.
  class Reusable {
   public:
    explicit Reusable(SQLite::Statement& stmt) : stmt_(stmt) {}
    ~Reusable() {
      try {
        stmt_.reset();
        stmt_.clearBindings();
      } catch (...) {
        // reset() rethrows the last step error, already reported to the caller.
      }
    }
    Reusable(const Reusable&) = delete;
    Reusable& operator=(const Reusable&) = delete;
    SQLite::Statement* operator->() { return &stmt_; }
    SQLite::Statement& operator*() { return stmt_; }

   private:
    SQLite::Statement& stmt_;
  };
  Reusable prepare(const char* sql);

 private:
  SQLite::Database db_;
  std::mutex& writers_;
  std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> statements_;
};

class Database {
 public:
  // Opens (creating if needed) the file, applies pending migrations and
  // checks it can be written. Throws SQLite::Exception when it cannot.
  explicit Database(std::string path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // This thread's connection to the file, opened on first use.
  Connection& connection();

  const std::string& path() const { return path_; }
  int schema_version();

 private:
  void migrate();

  std::string path_;
  std::uint64_t id_;
  std::mutex mutex_;    // guards connections_
  std::mutex writers_;  // one write transaction at a time in this process
  std::vector<std::unique_ptr<Connection>> connections_;
};

// Runs fn inside BEGIN IMMEDIATE ... COMMIT on conn, rolling back if it throws.
// IMMEDIATE takes the write lock up front, so two writers wait on
// busy_timeout instead of failing with SQLITE_BUSY half-way. Writers of this
// process first queue on a mutex: SQLite's busy handler waits by sleeping
// in growing steps, which under load turns into long tail latency; only
// other processes (the CLI) still meet the busy handler.
template <typename Fn>
auto write_transaction(Connection& conn, Fn&& fn) {
  const std::lock_guard one_writer(conn.writers());
  conn.db().exec("BEGIN IMMEDIATE");
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      conn.db().exec("COMMIT");
    } else {
      auto result = fn();
      conn.db().exec("COMMIT");
      return result;
    }
  } catch (...) {
    try {
      conn.db().exec("ROLLBACK");
    } catch (...) {
    }
    throw;
  }
}

}  // namespace stork
