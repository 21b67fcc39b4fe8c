#include "storage/pg_backend.hpp"

#include "postgresql/pg_change_listener.hpp"

namespace stork {

PgBackend::PgBackend(const std::string& url, pg::PoolOptions pool)
    : description_(pg::describe_url(url)),
      db_(url, pool),
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

void PgBackend::translate_errors(const std::function<void()>& fn) {
  // The stores translate libpq's failures themselves (pg::Database::run
  // and transaction); one that escaped a lent connection lands here.
  try {
    fn();
  } catch (const pg::Failure& f) {
    pg::throw_store_error(f);
  }
}

std::string PgBackend::metrics_text() {
  // The pool's size against its bound: an operator sizing max_connections
  // on the server adds this up over the processes.
  return "# HELP stork_postgresql_connections Connections this process holds open to PostgreSQL.\n"
         "# TYPE stork_postgresql_connections gauge\n"
         "stork_postgresql_connections " + std::to_string(db_.pool().open_connections()) + "\n"
         "# HELP stork_postgresql_connections_max The bound of this process's connection pool.\n"
         "# TYPE stork_postgresql_connections_max gauge\n"
         "stork_postgresql_connections_max " + std::to_string(db_.pool().max_connections()) + "\n";
}

namespace {

class PgReadScope final : public ReadScope {
 public:
  explicit PgReadScope(pg::Database& db) : scope_(db) {}

 private:
  pg::Database::ConnectionScope scope_;
};

}  // namespace

std::unique_ptr<ReadScope> PgBackend::read_scope() { return std::make_unique<PgReadScope>(db_); }

std::unique_ptr<ChangeFeed> PgBackend::follow_changes(ChangeSink& sink) {
  return std::make_unique<pg::ChangeListener>(db_.pool().conninfo(), sink);
}

}  // namespace stork
