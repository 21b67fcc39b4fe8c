#include "publishers/sqlite_publisher_store.hpp"

#include "storage/errors.hpp"

#include <sqlite3.h>

namespace stork {
namespace {

// The storage edge: SQLite's exceptions leave this file as Stork's own.
template <typename Fn>
auto translated(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const SQLite::Exception& e) {
    const int code = e.getErrorCode() & 0xff;  // primary code of an extended one
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) throw StoreBusy(e.what());
    throw StoreError(e.what());
  }
}

// Rows of publishers LEFT JOIN their origins, ordered by key then origin,
// folded into one Publisher per key.
std::vector<Publisher> read_publishers(SQLite::Statement& q) {
  std::vector<Publisher> out;
  while (q.executeStep()) {
    const std::string key = q.getColumn(0).getString();
    if (out.empty() || out.back().key != key) {
      out.push_back({key, q.getColumn(1).getString(), {}, q.getColumn(2).getInt64()});
    }
    if (!q.getColumn(3).isNull()) out.back().origins.push_back(q.getColumn(3).getString());
  }
  return out;
}

const std::string kRows =
    "SELECT p.key, p.display_name, p.created_at, o.origin FROM publishers p "
    "LEFT JOIN publisher_origins o ON o.publisher_id = p.id ";

}  // namespace

bool SqlitePublisherStore::exists(Connection& conn, const std::string& key) {
  auto q = conn.prepare("SELECT 1 FROM publishers WHERE key = ?");
  q->bind(1, key);
  return q->executeStep();
}

bool SqlitePublisherStore::add(const std::string& key, const std::optional<std::string>& display_name,
                               const std::vector<std::string>& origins, UnixSeconds now) {
  return translated([&] {
    Connection& conn = db_.connection();
    return write_transaction(conn, [&] {
      bool created = false;
      {
        auto q = conn.prepare(
            "INSERT INTO publishers (key, display_name, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT(key) DO NOTHING");
        q->bind(1, key);
        q->bind(2, display_name.value_or(key));
        q->bind(3, now);
        created = q->exec() > 0;
      }
      if (!created && display_name) {
        auto q = conn.prepare(
            "UPDATE publishers SET display_name = ? WHERE key = ? AND display_name <> ?");
        q->bind(1, *display_name);
        q->bind(2, key);
        q->bind(3, *display_name);
        q->exec();
      }
      for (const std::string& origin : origins) {
        auto q = conn.prepare(
            "INSERT INTO publisher_origins (publisher_id, origin) "
            "SELECT id, ? FROM publishers WHERE key = ? ON CONFLICT DO NOTHING");
        q->bind(1, origin);
        q->bind(2, key);
        q->exec();
      }
      return created;
    });
  });
}

std::optional<Publisher> SqlitePublisherStore::find(const std::string& key) {
  return translated([&]() -> std::optional<Publisher> {
    // Statements are cached per connection by the address of their text.
    static const std::string sql = kRows + "WHERE p.key = ? ORDER BY o.origin";
    auto q = db_.connection().prepare(sql.c_str());
    q->bind(1, key);
    auto found = read_publishers(*q);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  });
}

std::vector<Publisher> SqlitePublisherStore::list() {
  return translated([&] {
    static const std::string sql = kRows + "ORDER BY p.key, o.origin";
    auto q = db_.connection().prepare(sql.c_str());
    return read_publishers(*q);
  });
}

OriginChange SqlitePublisherStore::add_origin(const std::string& key, const std::string& origin) {
  return translated([&] {
    Connection& conn = db_.connection();
    return write_transaction(conn, [&] {
      auto q = conn.prepare(
          "INSERT INTO publisher_origins (publisher_id, origin) "
          "SELECT id, ? FROM publishers WHERE key = ? ON CONFLICT DO NOTHING");
      q->bind(1, origin);
      q->bind(2, key);
      if (q->exec() > 0) return OriginChange::changed;
      return exists(conn, key) ? OriginChange::unchanged : OriginChange::no_publisher;
    });
  });
}

OriginChange SqlitePublisherStore::remove_origin(const std::string& key, const std::string& origin) {
  return translated([&] {
    Connection& conn = db_.connection();
    return write_transaction(conn, [&] {
      auto q = conn.prepare(
          "DELETE FROM publisher_origins WHERE origin = ? "
          "AND publisher_id = (SELECT id FROM publishers WHERE key = ?)");
      q->bind(1, origin);
      q->bind(2, key);
      if (q->exec() > 0) return OriginChange::changed;
      return exists(conn, key) ? OriginChange::unchanged : OriginChange::no_publisher;
    });
  });
}

bool SqlitePublisherStore::remove(const std::string& key) {
  return translated([&] {
    Connection& conn = db_.connection();
    conn.end_read_transaction();
    // The origins go by ON DELETE CASCADE (foreign keys are on for every
    // connection), and their triggers count the change as well.
    auto q = conn.prepare("DELETE FROM publishers WHERE key = ?");
    q->bind(1, key);
    return q->exec() > 0;
  });
}

std::int64_t SqlitePublisherStore::version() {
  return translated([&] {
    auto q = db_.connection().prepare("SELECT version FROM publisher_changes WHERE id = 1");
    return q->executeStep() ? q->getColumn(0).getInt64() : std::int64_t{0};
  });
}

}  // namespace stork
