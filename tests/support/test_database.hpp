#pragma once
// Which backend a server suite runs on, and a fresh database of it.
// STORK_TEST_BACKEND=postgresql runs the suite on PostgreSQL: every server
// gets a new database on the binary's shared throwaway cluster
// (pg_cluster.hpp). Unset (or "sqlite"): a new SQLite file, as before.
// ctest registers each suite once per backend.

#include "pg_cluster.hpp"
#include "postgresql/pg_connection.hpp"
#include "postgresql/pg_database.hpp"
#include "storage/database.hpp"
#include "test_support.hpp"

#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace stork::test {

inline bool testing_postgresql() {
  const char* backend = std::getenv("STORK_TEST_BACKEND");
  const std::string name = backend ? backend : "sqlite";
  if (name == "postgresql") return true;
  if (name == "sqlite") return false;
  throw std::invalid_argument("STORK_TEST_BACKEND must be sqlite or postgresql, not " + name);
}

// A --db value for a new, empty store: a file in dir, or a new PostgreSQL
// database (dir is then unused).
inline std::string fresh_database(const TempDir& dir, const std::string& file = "stork.db") {
  if (testing_postgresql()) return shared_pg_cluster().create_database();
  return dir.file(file);
}

// One value read with a connection of its own, as text. Written once for
// both backends, so only portable SQL.
inline std::string database_text(const std::string& db, const std::string& sql) {
  if (pg::is_postgresql_url(db)) {
    pg::Connection c(db);
    const pg::Result r = c.exec(sql);
    if (r.rows() != 1 || r.is_null(0, 0)) throw std::runtime_error("no single value: " + sql);
    return r.string(0, 0);
  }
  const std::string path = db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
  Database database(path);
  return database.connection().db().execAndGet(sql).getString();
}

// One number, e.g. "SELECT count(*) FROM sessions"; PostgreSQL booleans
// read as 0 and 1.
inline std::int64_t database_scalar(const std::string& db, const std::string& sql) {
  const std::string v = database_text(db, sql);
  if (v == "t") return 1;
  if (v == "f") return 0;
  return std::stoll(v);
}

}  // namespace stork::test
