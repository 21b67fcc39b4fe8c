#include "storage/database.hpp"

#include "storage/migrations.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <regex>
#include <sstream>
#include <thread>

namespace stork {
namespace {

std::atomic<std::uint64_t> next_database_id{1};

// Per thread: database id -> that database's connection for this thread.
// Ids are never reused, so an entry of a closed Database is never looked up.
thread_local std::unordered_map<std::uint64_t, Connection*> thread_connections;
// Per thread: database id -> the reader connection it has borrowed, if any.
thread_local std::unordered_map<std::uint64_t, Connection*> lent_connections;

// Reader connections (Database::reader_limit): two per core, at least
// four: on two cores four measured the same as eight, and a reader whose
// thread is preempted mid-read does not stall the others. Each caches up to 8 MiB: with 1,000 signed-in readers over a
// million-session table, the session leaves they come back to, the users
// and the catalog fit (misses per read fell from 6.7 to 0.1; bench/README.md).
constexpr CacheBudget kReaderBudget{8 * 1024};

constexpr unsigned kStatementsPerFold = 32;

// The name of the first table `sql` creates, or empty: enough to tell
// whether a migration of a database older than schema_migrations ran.
std::string first_created_table(const std::string& sql) {
  std::string code;  // sql without its -- comments
  std::istringstream lines(sql);
  for (std::string line; std::getline(lines, line);) code += line.substr(0, line.find("--")) + "\n";
  static const std::regex create(R"(CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?([A-Za-z_][A-Za-z0-9_]*))",
                                 std::regex::icase);
  std::smatch m;
  return std::regex_search(code, m, create) ? m[2].str() : std::string();
}

void record_migration(Connection& conn, const Migration& m) {
  auto q = conn.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  q->bind(1, m.version);
  q->bind(2, m.name);
  q->bind(3, static_cast<std::int64_t>(std::time(nullptr)));
  q->exec();
}

std::uint64_t take_status(sqlite3* db, int op) {
  int current = 0;
  int highwater = 0;
  sqlite3_db_status(db, op, &current, &highwater, /*reset=*/1);
  return current > 0 ? static_cast<std::uint64_t>(current) : 0;
}

}  // namespace

void PageCacheTotals::add(const PageCacheCounts& c) {
  hits_.fetch_add(c.hits, std::memory_order_relaxed);
  misses_.fetch_add(c.misses, std::memory_order_relaxed);
  writes_.fetch_add(c.writes, std::memory_order_relaxed);
}

PageCacheCounts PageCacheTotals::load() const {
  return {hits_.load(std::memory_order_relaxed), misses_.load(std::memory_order_relaxed),
          writes_.load(std::memory_order_relaxed)};
}

Connection::Connection(const std::string& path, std::mutex& writers, PageCacheTotals& totals,
                       CacheBudget budget)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX),
      writers_(writers),
      totals_(totals) {
  db_.setBusyTimeout(5000);
  db_.exec("PRAGMA journal_mode = WAL");
  // NORMAL in WAL mode: a committed transaction survives the process being
  // killed; only an OS crash or power loss can drop the last commits.
  db_.exec("PRAGMA synchronous = NORMAL");
  db_.exec("PRAGMA foreign_keys = ON");
  db_.exec("PRAGMA temp_store = MEMORY");
  // Every worker thread has its own connection, and SQLite's default page
  // cache (2 MiB each) filled up to the database size on every one: with 64
  // busy keep-alive connections that was ~130 MiB of duplicated pages. In
  // WAL mode any commit by another connection empties this cache anyway, so
  // a small one holding the B-tree upper levels loses almost nothing; the
  // OS page cache, shared by all, serves the rest. The few reader
  // connections of the hot path get a larger budget (ReaderLease).
  db_.exec("PRAGMA cache_size = -" + std::to_string(budget.page_cache_kib));
}

void Connection::end_read_transaction() {
  if (!read_open_) return;
  read_open_ = false;
  prepare("COMMIT")->exec();
}

ReadTransaction::ReadTransaction(Connection& conn)
    : conn_(conn), outermost_(!conn.read_open_ && sqlite3_get_autocommit(conn.db().getHandle()) != 0) {
  if (!outermost_) return;
  conn_.prepare("BEGIN")->exec();
  conn_.read_open_ = true;
}

ReadTransaction::~ReadTransaction() {
  if (!outermost_ || !conn_.read_open_) return;
  conn_.read_open_ = false;
  try {
    conn_.prepare("COMMIT")->exec();
  } catch (...) {
    // Nothing to lose in a read transaction; make sure it is closed.
    if (sqlite3_get_autocommit(conn_.db().getHandle()) == 0) {
      try {
        conn_.db().exec("ROLLBACK");
      } catch (...) {
      }
    }
  }
}

void Connection::fold_counters() {
  sqlite3* handle = db_.getHandle();
  totals_.add({take_status(handle, SQLITE_DBSTATUS_CACHE_HIT),
               take_status(handle, SQLITE_DBSTATUS_CACHE_MISS),
               take_status(handle, SQLITE_DBSTATUS_CACHE_WRITE)});
}

Connection::Reusable Connection::prepare(const char* sql) {
  if (++statements_since_fold_ == kStatementsPerFold) {
    statements_since_fold_ = 0;
    fold_counters();
  }
  auto found = statements_.find(sql);
  if (found == statements_.end()) {
    found = statements_.emplace(sql, std::make_unique<SQLite::Statement>(db_, sql)).first;
  }
  return Reusable(*found->second);
}

Database::Database(std::string path) : path_(std::move(path)), id_(next_database_id++) {
  const auto parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty()) {
    std::error_code ignored;
    std::filesystem::create_directories(parent, ignored);
  }
  migrate();
}

Database::~Database() = default;

Connection& Database::connection() {
  if (!lent_connections.empty()) {
    const auto lent = lent_connections.find(id_);
    if (lent != lent_connections.end()) return *lent->second;
  }
  auto found = thread_connections.find(id_);
  if (found != thread_connections.end()) return *found->second;
  auto conn = std::make_unique<Connection>(path_, writers_, page_cache_);
  Connection* raw = conn.get();
  {
    std::lock_guard lock(mutex_);
    connections_.push_back(std::move(conn));
  }
  thread_connections.emplace(id_, raw);
  return *raw;
}

std::size_t Database::reader_limit() {
  return std::max<std::size_t>(4, 2 * std::thread::hardware_concurrency());
}

Connection& Database::borrow_reader() {
  std::unique_lock lock(readers_mutex_);
  if (idle_readers_.empty() && readers_.size() < reader_limit()) {
    readers_.push_back(std::make_unique<Connection>(path_, writers_, page_cache_, kReaderBudget));
    return *readers_.back();
  }
  reader_returned_.wait(lock, [&] { return !idle_readers_.empty(); });
  Connection* reader = idle_readers_.back();
  idle_readers_.pop_back();
  return *reader;
}

void Database::give_back(Connection& reader) {
  {
    const std::lock_guard lock(readers_mutex_);
    idle_readers_.push_back(&reader);
  }
  reader_returned_.notify_one();
}

ReaderLease::ReaderLease(Database& db)
    : db_(db), conn_(nullptr), outermost_(lent_connections.count(db.id_) == 0) {
  if (!outermost_) {
    conn_ = lent_connections[db.id_];
    return;
  }
  conn_ = &db_.borrow_reader();
  lent_connections.emplace(db_.id_, conn_);
}

ReaderLease::~ReaderLease() {
  if (!outermost_) return;
  lent_connections.erase(db_.id_);
  db_.give_back(*conn_);
}

// The highest migration applied.
int Database::schema_version() {
  return connection().db().execAndGet("SELECT coalesce(max(version), 0) FROM schema_migrations").getInt();
}

// Which migrations ran is recorded one row per number, and every number
// without a row runs, in order. A single "version" (PRAGMA user_version)
// cannot say that: a database that ran 007 and 008 before 006 was written
// would have 8 and skip 006 for ever.
void Database::migrate() {
  Connection& conn = connection();
  write_transaction(conn, [&] {
    // Re-read inside the write lock: two processes may start at once.
    if (conn.db().tableExists("schema_migrations")) return;
    conn.db().exec(
        "CREATE TABLE schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
    // A database from before the table: its user_version is the highest
    // migration it ran. Each one up to there counts as applied unless the
    // first table it creates is missing (then it was skipped, as above,
    // and runs now). A migration that creates no table is taken on trust.
    const int before = conn.db().execAndGet("PRAGMA user_version").getInt();
    for (const Migration& m : migrations()) {
      if (m.version > before) break;
      const std::string table = first_created_table(m.sql);
      if (!table.empty() && !conn.db().tableExists(table)) continue;
      record_migration(conn, m);
    }
  });
  for (const Migration& m : migrations()) {
    write_transaction(conn, [&] {
      auto applied = conn.prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
      applied->bind(1, m.version);
      if (applied->executeStep()) return;
      conn.db().exec(m.sql);
      record_migration(conn, m);
      // Kept as "highest applied" for tools that read it (sqlite3, backups).
      if (m.version > conn.db().execAndGet("PRAGMA user_version").getInt()) {
        conn.db().exec("PRAGMA user_version = " + std::to_string(m.version));
      }
    });
  }
}

}  // namespace stork
