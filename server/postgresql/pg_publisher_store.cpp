#include "postgresql/pg_publisher_store.hpp"

namespace stork {
namespace {

using pg::Connection;
using pg::Params;
using pg::Result;

// COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
const std::string kRows =
    "SELECT p.key, p.display_name, p.created_at, o.origin FROM publishers p "
    "LEFT JOIN publisher_origins o ON o.publisher_id = p.id ";
const std::string kOrder = " ORDER BY p.key COLLATE \"C\", o.origin COLLATE \"C\"";

// Rows ordered by key then origin, folded into one Publisher per key.
std::vector<Publisher> read_publishers(const Result& r) {
  std::vector<Publisher> out;
  for (int i = 0; i < r.rows(); ++i) {
    std::string key = r.string(i, 0);
    if (out.empty() || out.back().key != key) {
      out.push_back({std::move(key), r.string(i, 1), {}, r.int64(i, 2)});
    }
    if (!r.is_null(i, 3)) out.back().origins.push_back(r.string(i, 3));
  }
  return out;
}

OriginChange unchanged_or_missing(Connection& c, const std::string& key) {
  const bool exists = c.query("SELECT 1 FROM publishers WHERE key = $1", Params(key)).rows() > 0;
  return exists ? OriginChange::unchanged : OriginChange::no_publisher;
}

}  // namespace

bool PgPublisherStore::add(const std::string& key, const std::optional<std::string>& display_name,
                           const std::vector<std::string>& origins, UnixSeconds now) {
  return db_.transaction([&](Connection& c) {
    // DO NOTHING waits for a concurrent insert of the same key to commit,
    // then the statements below see its row (READ COMMITTED).
    const bool created =
        c.query("INSERT INTO publishers (key, display_name, created_at) VALUES ($1, $2, $3) "
                "ON CONFLICT (key) DO NOTHING",
                Params(key, display_name.value_or(key), now))
            .affected() > 0;
    if (!created && display_name) {
      c.query("UPDATE publishers SET display_name = $2 WHERE key = $1 AND display_name <> $2",
              Params(key, *display_name));
    }
    for (const std::string& origin : origins) {
      c.query("INSERT INTO publisher_origins (publisher_id, origin) "
              "SELECT id, $2 FROM publishers WHERE key = $1 ON CONFLICT DO NOTHING",
              Params(key, origin));
    }
    return created;
  });
}

std::optional<Publisher> PgPublisherStore::find(const std::string& key) {
  static const std::string sql = kRows + "WHERE p.key = $1" + kOrder;
  return db_.run([&](Connection& c) -> std::optional<Publisher> {
    auto found = read_publishers(c.query(sql, Params(key)));
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  });
}

std::vector<Publisher> PgPublisherStore::list() {
  static const std::string sql = kRows + kOrder;
  return db_.run([&](Connection& c) { return read_publishers(c.query(sql)); });
}

OriginChange PgPublisherStore::add_origin(const std::string& key, const std::string& origin) {
  return db_.transaction([&](Connection& c) {
    const auto added = c.query(
        "INSERT INTO publisher_origins (publisher_id, origin) "
        "SELECT id, $2 FROM publishers WHERE key = $1 ON CONFLICT DO NOTHING",
        Params(key, origin));
    return added.affected() > 0 ? OriginChange::changed : unchanged_or_missing(c, key);
  });
}

OriginChange PgPublisherStore::remove_origin(const std::string& key, const std::string& origin) {
  return db_.transaction([&](Connection& c) {
    const auto removed = c.query(
        "DELETE FROM publisher_origins WHERE origin = $2 "
        "AND publisher_id = (SELECT id FROM publishers WHERE key = $1)",
        Params(key, origin));
    return removed.affected() > 0 ? OriginChange::changed : unchanged_or_missing(c, key);
  });
}

bool PgPublisherStore::remove(const std::string& key) {
  // The origins go by ON DELETE CASCADE.
  return db_.run([&](Connection& c) {
    return c.query("DELETE FROM publishers WHERE key = $1", Params(key)).affected() > 0;
  });
}

std::int64_t PgPublisherStore::version() {
  return db_.run([&](Connection& c) {
    const Result r = c.query("SELECT version FROM publisher_changes WHERE id = 1");
    return r.rows() > 0 ? r.int64(0, 0) : std::int64_t{0};
  });
}

}  // namespace stork
