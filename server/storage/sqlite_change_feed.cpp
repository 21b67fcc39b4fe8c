#include "storage/sqlite_change_feed.hpp"

#include "storage/sqlite_errors.hpp"

#include <SQLiteCpp/Statement.h>

#include <charconv>

namespace stork {
namespace {

// A poll that meets a lock waits this long before it counts as failed:
// short, because while it waits no change is delivered, and a failed poll
// only makes the cache read the store until the next good one.
constexpr int kBusyTimeoutMs = 50;

SQLite::Database open_connection(const std::string& path) {
  return translate_sqlite_errors([&] {
    // Read-write although it never writes: a WAL file's shared memory must
    // be writable to read it. NOMUTEX: only the feed's thread uses it once
    // the constructor has returned.
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX);
    db.setBusyTimeout(kBusyTimeoutMs);
    return db;
  });
}

std::optional<std::int64_t> id_of(std::string_view digits) {
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (error != std::errc() || end != digits.data() + digits.size() || digits.empty()) return std::nullopt;
  return id;
}

}  // namespace

SqliteChangeFeed::SqliteChangeFeed(const std::string& path, ChangeSink& sink,
                                   std::chrono::milliseconds interval)
    : sink_(sink), interval_(interval), db_(open_connection(path)) {
  poll();
  thread_ = std::thread([this] { run(); });
}

SqliteChangeFeed::~SqliteChangeFeed() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void SqliteChangeFeed::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [&] { return stopping_; })) {
    lock.unlock();
    poll();
    lock.lock();
  }
}

void SqliteChangeFeed::poll() {
  try {
    if (!last_seq_) {
      // Where the log stands now: every change committed after this read
      // has a higher number, so feed_live() below promises nothing more.
      data_version_ = db_.execAndGet("PRAGMA data_version").getInt();
      last_seq_ = db_.execAndGet("SELECT coalesce(max(seq), 0) FROM change_log").getInt64();
    } else {
      // Read before the log: a commit landing between the two moves it
      // again, so the next poll reads the log once more.
      const int version = db_.execAndGet("PRAGMA data_version").getInt();
      if (data_version_ == version) return;
      deliver_since_last();
      data_version_ = version;
    }
    if (!live_) {
      live_ = true;
      sink_.feed_live();
    }
  } catch (const std::exception&) {
    data_version_.reset();
    if (live_) {
      live_ = false;
      sink_.feed_lost();
    }
  }
}

void SqliteChangeFeed::deliver_since_last() {
  SQLite::Statement q(db_, "SELECT seq, key FROM change_log WHERE seq > ? ORDER BY seq");
  q.bind(1, *last_seq_);
  std::int64_t seen = *last_seq_;
  while (q.executeStep()) {
    const std::int64_t seq = q.getColumn(0).getInt64();
    if (seq != seen + 1) {
      // The log was pruned past rows this feed never read (it fell more
      // than the log's window behind): what they named is unknown.
      sink_.everything_changed();
    }
    deliver(q.getColumn(1).getString());
    seen = seq;
  }
  last_seq_ = seen;
}

void SqliteChangeFeed::deliver(std::string_view key) {
  const auto id = key.empty() ? std::nullopt : id_of(key.substr(1));
  if (id && key.front() == 'u') {
    sink_.user_changed(*id);
  } else if (id && key.front() == 'p') {
    sink_.product_changed(*id);
  } else {
    sink_.everything_changed();
  }
}

}  // namespace stork
