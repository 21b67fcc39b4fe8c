#include "storage/sqlite_backend.hpp"

#include "storage/sqlite_change_feed.hpp"
#include "storage/sqlite_errors.hpp"

namespace stork {
namespace {

Database open_database(const std::string& path) {
  return translate_sqlite_errors([&] { return Database(path); });
}

// A reader connection borrowed for the request, and one snapshot on it.
// Members end in reverse order: the transaction before the lease.
class SqliteReadScope final : public ReadScope {
 public:
  explicit SqliteReadScope(Database& db) : lease_(db), transaction_(lease_.connection()) {}

 private:
  ReaderLease lease_;
  ReadTransaction transaction_;
};

}  // namespace

SqliteBackend::SqliteBackend(const std::string& path)
    : db_(open_database(path)),
      unit_(db_),
      sessions_(db_),
      refresh_tokens_(db_),
      accounts_(db_),
      throttle_(db_),
      signup_throttle_(db_),
      personal_data_(db_),
      reset_links_(db_),
      users_(db_),
      catalog_(db_),
      products_(db_),
      lab_reports_(db_),
      seed_(db_),
      publishers_(db_),
      identity_(db_) {}

std::unique_ptr<ReadScope> SqliteBackend::read_scope() {
  return translate_sqlite_errors([&] { return std::make_unique<SqliteReadScope>(db_); });
}

std::unique_ptr<ChangeFeed> SqliteBackend::follow_changes(ChangeSink& sink) {
  return follow_changes(sink, SqliteChangeFeed::kDefaultInterval);
}

std::unique_ptr<ChangeFeed> SqliteBackend::follow_changes(ChangeSink& sink,
                                                          std::chrono::milliseconds interval) {
  const std::string& path = db_.path();
  if (path.empty() || path == ":memory:" || path.find("mode=memory") != std::string::npos) return nullptr;
  return std::make_unique<SqliteChangeFeed>(path, sink, interval);
}

void SqliteBackend::translate_errors(const std::function<void()>& fn) { translate_sqlite_errors(fn); }

bool SqliteBackend::reachable() {
  try {
    db_.connection().prepare("SELECT 1")->executeStep();
    return true;
  } catch (const SQLite::Exception&) {
    return false;
  }
}

int SqliteBackend::schema_version() {
  return translate_sqlite_errors([&] { return db_.schema_version(); });
}

std::string SqliteBackend::metrics_text() {
  // SQLite's page cache counters, summed over the server's connections:
  // the benchmark divides them by requests to show what one request reads.
  const PageCacheCounts c = db_.page_cache_counts();
  return "# HELP stork_sqlite_page_cache_total SQLite page cache lookups (hit, miss) and pages "
         "written, over all connections.\n# TYPE stork_sqlite_page_cache_total counter\n"
         "stork_sqlite_page_cache_total{event=\"hit\"} " + std::to_string(c.hits) + "\n"
         "stork_sqlite_page_cache_total{event=\"miss\"} " + std::to_string(c.misses) + "\n"
         "stork_sqlite_page_cache_total{event=\"write\"} " + std::to_string(c.writes) + "\n";
}

}  // namespace stork
