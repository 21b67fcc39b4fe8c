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
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace stork {

// SQLite's page cache counters summed over every connection of one
// Database, for /metrics and the benchmark. A miss is a page read from the
// file or the WAL; pages read through the memory map count as neither.
struct PageCacheCounts {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t writes = 0;
};

class PageCacheTotals {
 public:
  void add(const PageCacheCounts& c);
  PageCacheCounts load() const;

 private:
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
  std::atomic<std::uint64_t> writes_{0};
};

// How much of the file one connection keeps in its page cache (PRAGMA
// cache_size). Memory-mapped reads (PRAGMA mmap_size) were measured and not
// kept: SQLite maps the file once per connection, and at a million sessions
// reads cost more CPU with a map than without (bench/README.md).
struct CacheBudget {
  int page_cache_kib = 256;
};

class Connection {
 public:
  // writers: shared by all connections of one Database (see write_transaction).
  Connection(const std::string& path, std::mutex& writers, PageCacheTotals& totals,
             CacheBudget budget = {});

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

  // Ends the open ReadTransaction, if any, before a write: a read
  // transaction that starts writing fails with SQLITE_BUSY_SNAPSHOT as soon
  // as another connection has committed since it began. Statements after
  // it run in autocommit mode, as they would without the ReadTransaction.
  void end_read_transaction();

  // Whether write_transaction is running on this connection: a nested one
  // (a store call inside a UnitOfWork) joins it instead of beginning again.
  bool in_write_transaction() const { return writing_; }

 private:
  template <typename Fn>
  friend auto write_transaction(Connection& conn, Fn&& fn);
  friend class ReadTransaction;

  // A connection belongs to one thread, so only that thread may read its
  // counters: it folds them into the shared totals every few statements.
  void fold_counters();

  SQLite::Database db_;
  std::mutex& writers_;
  PageCacheTotals& totals_;
  unsigned statements_since_fold_ = 0;
  bool read_open_ = false;  // a ReadTransaction's BEGIN is in effect
  bool writing_ = false;    // inside write_transaction
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

  // The connection this thread lent (ReaderLease), or else this thread's
  // own connection to the file, opened on first use.
  Connection& connection();

  const std::string& path() const { return path_; }
  // How many reader connections ReaderLease lends at most.
  static std::size_t reader_limit();
  int schema_version();
  // Up to a few statements per connection behind (see Connection::fold_counters).
  PageCacheCounts page_cache_counts() const { return page_cache_.load(); }

 private:
  friend class ReaderLease;
  Connection& borrow_reader();
  void give_back(Connection& reader);
  void migrate();

  std::string path_;
  std::uint64_t id_;
  std::mutex mutex_;    // guards connections_
  std::mutex writers_;  // one write transaction at a time in this process
  PageCacheTotals page_cache_;
  std::vector<std::unique_ptr<Connection>> connections_;

  // The few connections the hot read path shares (ReaderLease).
  std::mutex readers_mutex_;
  std::condition_variable reader_returned_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::vector<Connection*> idle_readers_;
};

// Lends this thread one of a few shared reader connections until it goes
// out of scope; Database::connection() returns it meanwhile.
//
// Why: every worker thread has its own connection, and each connection has
// its own page cache. With 64 busy keep-alive connections the small caches
// hold the same upper B-tree pages 64 times and still miss (one pread per
// miss) on session leaves. The product read, the hot path, instead borrows
// one of a handful of connections, each with a cache large enough for the
// pages readers keep coming back to. Lent only for the length of one read:
// nothing that can wait (hashing, a write lock) happens under it. In WAL
// mode any commit still empties every connection's cache (SQLite cannot
// tell which pages changed), so the larger budget pays between commits,
// which on the read path are rare: a session's last_seen_at is written at
// most once a minute. Nests: an inner lease on the same thread does nothing.
class ReaderLease {
 public:
  explicit ReaderLease(Database& db);
  ~ReaderLease();
  ReaderLease(const ReaderLease&) = delete;
  ReaderLease& operator=(const ReaderLease&) = delete;

  Connection& connection() { return *conn_; }

 private:
  Database& db_;
  Connection* conn_;
  bool outermost_;
};

// One read transaction (one WAL snapshot) for every statement run on conn
// while it lives: the session, the user and the product of one request are
// read from the same snapshot, and SQLite takes and releases its WAL read
// lock once instead of once per statement. Nests (the inner one does
// nothing). Writes must not run inside it: see Connection::after_read.
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& conn);
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Connection& conn_;
  bool outermost_;
};

// Runs fn inside BEGIN IMMEDIATE ... COMMIT on conn, rolling back if it throws.
// IMMEDIATE takes the write lock up front, so two writers wait on
// busy_timeout instead of failing with SQLITE_BUSY half-way. Writers of this
// process first queue on a mutex: SQLite's busy handler waits by sleeping
// in growing steps, which under load turns into long tail latency; only
// other processes (the CLI) still meet the busy handler.
// Nested calls on the same connection join the outer transaction.
template <typename Fn>
auto write_transaction(Connection& conn, Fn&& fn) {
  if (conn.writing_) return fn();
  conn.end_read_transaction();
  const std::lock_guard one_writer(conn.writers());
  conn.db().exec("BEGIN IMMEDIATE");
  struct Writing {
    bool& flag;
    explicit Writing(bool& f) : flag(f) { flag = true; }
    ~Writing() { flag = false; }
  } writing(conn.writing_);
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
