#include "postgresql/pg_database.hpp"

#include "postgresql/pg_migrations.hpp"

#include <libpq-fe.h>

#include <iterator>
#include <set>
#include <utility>
#include <vector>

namespace stork::pg {
namespace {

// Any fixed number works; this one spells "stork" in ASCII.
constexpr const char* kMigrationLock = "SELECT pg_advisory_lock(495873061483)";
constexpr const char* kMigrationUnlock = "SELECT pg_advisory_unlock(495873061483)";

bool busy_sqlstate(const std::string& s) {
  if (s.size() != 5) return false;
  const std::string cls = s.substr(0, 2);
  return cls == "08"            // connection exception
         || s == "40001"        // serialization_failure
         || s == "40P01"        // deadlock_detected
         || cls == "53"         // insufficient resources (too many connections, disk full...)
         || s == "55P03"        // lock_not_available
         || s == "57014"        // query_canceled (statement_timeout)
         || s == "57P01"        // admin_shutdown
         || s == "57P02"        // crash_shutdown
         || s == "57P03";       // cannot_connect_now (starting up, recovering)
}

}  // namespace

thread_local std::vector<Database::Bound> Database::bound_transactions_;

Database::Binding::Binding(const Database& db, Connection* conn, std::optional<Failure>* failed,
                           ConnectionScope* scope)
    : db_(db) {
  bound_transactions_.push_back({&db, conn, failed, scope});
}

Database::Binding::~Binding() {
  // The innermost: a transaction inside a ConnectionScope ends first.
  for (auto it = bound_transactions_.rbegin(); it != bound_transactions_.rend(); ++it) {
    if (it->db == &db_) {
      bound_transactions_.erase(std::next(it).base());
      return;
    }
  }
}

Database::Bound* Database::bound_here() const {
  for (auto it = bound_transactions_.rbegin(); it != bound_transactions_.rend(); ++it) {
    if (it->db == this) return &*it;
  }
  return nullptr;
}

Connection& Database::connection(Bound& bound) {
  if (!bound.conn) bound.conn = &*bound.scope->lease_.emplace(pool_.acquire());
  return *bound.conn;
}

Database::ConnectionScope::ConnectionScope(Database& db) {
  if (db.bound_here()) return;
  binding_.emplace(db, nullptr, nullptr, this);
}

bool is_postgresql_url(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

std::string describe_url(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (!options) {
    if (error) PQfreemem(error);
    return "PostgreSQL database (unparsable URL)";
  }
  std::string dbname, host, port, user;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (!o->val) continue;
    const std::string key = o->keyword;
    if (key == "dbname") dbname = o->val;
    if (key == "host" || (key == "hostaddr" && host.empty())) host = o->val;
    if (key == "port") port = o->val;
    if (key == "user") user = o->val;
  }
  PQconninfoFree(options);
  std::string out = "PostgreSQL database " + (dbname.empty() ? std::string("(default)") : dbname);
  out += " on " + (host.empty() ? std::string("the local socket") : host);
  if (!port.empty()) out += ":" + port;
  if (!user.empty()) out += " as " + user;
  return out;
}

void throw_store_error(const Failure& f) {
  if (f.connection_lost() || busy_sqlstate(f.sqlstate())) throw StoreBusy(f.what());
  throw StoreError(f.what());
}

Database::Database(const std::string& url, PoolOptions options) : pool_(url, options) { migrate(); }

void Database::rollback(Connection& conn) {
  try {
    if (conn.ok()) conn.exec("ROLLBACK");
  } catch (...) {
    // The connection is broken; the pool drops it on return.
  }
}

int Database::schema_version() {
  return run([](Connection& conn) {
    const Result r = conn.exec("SELECT coalesce(max(version), 0) FROM stork_schema_migrations");
    return static_cast<int>(r.int64(0, 0));
  });
}

bool Database::reachable() {
  try {
    auto conn = pool_.acquire();
    conn->exec("SELECT 1");
    return true;
  } catch (const Failure&) {
    return false;
  }
}

void Database::migrate() {
  run([](Connection& conn) {
    // A session-level advisory lock: a second process starting at the same
    // moment waits here, then finds nothing left to apply.
    conn.exec(kMigrationLock);
    try {
      conn.exec(
          "CREATE TABLE IF NOT EXISTS stork_schema_migrations ("
          " version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
      // Every migration without a row runs, in order: comparing with the
      // highest number would skip one written after a later one ran.
      const Result r = conn.exec("SELECT version FROM stork_schema_migrations");
      std::set<std::int64_t> applied;
      for (int i = 0; i < r.rows(); ++i) applied.insert(r.int64(i, 0));
      for (const Migration& m : postgresql_migrations()) {
        if (applied.count(m.version) != 0) continue;
        conn.exec("BEGIN");
        try {
          conn.exec(m.sql);
          conn.query("INSERT INTO stork_schema_migrations (version, name) VALUES ($1, $2)",
                     Params(m.version, m.name));
          conn.exec("COMMIT");
        } catch (...) {
          rollback(conn);
          throw;
        }
      }
    } catch (...) {
      try {
        if (conn.ok()) conn.exec(kMigrationUnlock);
      } catch (...) {
      }
      throw;
    }
    conn.exec(kMigrationUnlock);
  });
}

}  // namespace stork::pg
