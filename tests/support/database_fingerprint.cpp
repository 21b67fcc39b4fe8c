#include "database_fingerprint.hpp"

#include "postgresql/pg_connection.hpp"
#include "postgresql/pg_database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <vector>

namespace stork::test {

namespace {

// The same fingerprint in each engine's dialect (aggregate concatenation
// is not portable).
const std::vector<std::string> kSqliteFingerprint = {
    "SELECT count(*) || ':' || total(length(username || password_hash || disabled)) FROM users",
    "SELECT count(*) || ':' || group_concat(token_hash || user_id || absolute_expires_at, ',') FROM "
    "(SELECT * FROM sessions ORDER BY token_hash)",
    "SELECT count(*) || ':' || group_concat(user_id || '/' || product_id || '/' || stars, ',') "
    "FROM (SELECT * FROM ratings ORDER BY user_id, product_id)",
    "SELECT count(*) || ':' || group_concat(user_id || '/' || product_id, ',') "
    "FROM (SELECT * FROM wishlist ORDER BY user_id, product_id)",
    "SELECT group_concat(id || '/' || rating_sum || '/' || rating_count, ',') FROM products",
};
const std::vector<std::string> kPostgresqlFingerprint = {
    "SELECT count(*) || ':' || coalesce(sum(length(username || password_hash || disabled::text)), 0) "
    "FROM users",
    "SELECT count(*) || ':' || coalesce(string_agg(token_hash || user_id || absolute_expires_at, ',' "
    "ORDER BY token_hash), '') FROM sessions",
    "SELECT count(*) || ':' || coalesce(string_agg(user_id || '/' || product_id || '/' || stars, ',' "
    "ORDER BY user_id, product_id), '') FROM ratings",
    "SELECT count(*) || ':' || coalesce(string_agg(user_id || '/' || product_id, ',' "
    "ORDER BY user_id, product_id), '') FROM wishlist",
    "SELECT string_agg(id || '/' || rating_sum || '/' || rating_count, ',' ORDER BY id) FROM products",
};

}  // namespace

std::string database_fingerprint(const std::string& db) {
  std::string out;
  if (pg::is_postgresql_url(db)) {
    pg::Connection conn(db);
    for (const auto& q : kPostgresqlFingerprint) {
      const pg::Result r = conn.exec(q);
      if (r.rows() == 1 && !r.is_null(0, 0)) out += r.string(0, 0);
      out += "|";
    }
    return out;
  }
  SQLite::Database conn(db, SQLite::OPEN_READONLY);
  for (const auto& q : kSqliteFingerprint) {
    SQLite::Statement st(conn, q);
    if (st.executeStep() && !st.getColumn(0).isNull()) out += st.getColumn(0).getString();
    out += "|";
  }
  return out;
}

}  // namespace stork::test
