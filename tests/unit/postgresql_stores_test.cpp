// Runs the store contracts against PostgreSQL: a real server, a throwaway
// cluster shared by this binary, one database emptied before each case.

#include "catalog_contract.hpp"
#include "session_store_contract.hpp"

#include "pg_cluster.hpp"
#include "postgresql/pg_catalog.hpp"
#include "postgresql/pg_database.hpp"
#include "postgresql/pg_migrations.hpp"
#include "postgresql/pg_session_store.hpp"

namespace {

using namespace stork;

// The database of this binary's PostgreSQL cases, migrated once.
const std::string& store_url() {
  static const std::string url = test::shared_pg_cluster().create_database();
  return url;
}

// An emptied, migrated database with users 1..n and the given products.
class PgFixture {
 public:
  explicit PgFixture(int users, const std::vector<Product>& products = {})
      : db_(store_url(), pg::PoolOptions{8, std::chrono::milliseconds(5000)}) {
    test::empty_database(store_url());
    pg::Connection c(store_url());
    for (int u = 1; u <= users; ++u) {
      c.query("INSERT INTO users (username, first_name, last_name, password_hash, created_at) "
              "VALUES ($1, 'F', 'L', '$argon2id$unused', 0)",
              pg::Params("user" + std::to_string(u)));
    }
    for (const Product& p : products) {
      c.query("INSERT INTO products (id, name, brand, price_cents, currency, image) "
              "VALUES ($1, $2, $3, $4, $5, $6)",
              pg::Params(p.id, p.name, p.brand, p.price_cents, p.currency, p.image));
    }
  }
  pg::Database& db() { return db_; }

 private:
  pg::Database db_;
};

class PgSessionStoreHarness {
 public:
  PgSessionStoreHarness() : fixture_(3), store_(fixture_.db()) {}
  SessionStore& store() { return store_; }

 private:
  PgFixture fixture_;
  PgSessionStore store_;
};

class PgCatalogHarness {
 public:
  PgCatalogHarness()
      : fixture_(contract::kCatalogUsers, {contract::kProduct1, contract::kProduct2}),
        catalog_(fixture_.db()) {}
  Catalog& catalog() { return catalog_; }

 private:
  PgFixture fixture_;
  PgCatalog catalog_;
};

}  // namespace

TEST_SUITE_BEGIN("postgresql");

TEST_CASE_TEMPLATE_INVOKE(session_store_contract, PgSessionStoreHarness);
TEST_CASE_TEMPLATE_INVOKE(catalog_contract, PgCatalogHarness);

TEST_CASE("PostgreSQL: migrations run once however many processes start at once") {
  const std::string url = test::shared_pg_cluster().create_database();
  // Four databases objects opened at the same moment, as four processes
  // starting together would: the advisory lock lets one migrate.
  std::vector<std::thread> starters;
  std::atomic<int> errors{0};
  for (int i = 0; i < 4; ++i) {
    starters.emplace_back([&] {
      try {
        pg::Database db(url, pg::PoolOptions{1, std::chrono::milliseconds(5000)});
      } catch (const std::exception&) {
        ++errors;
      }
    });
  }
  for (auto& t : starters) t.join();
  CHECK(errors == 0);
  pg::Database db(url);
  CHECK(db.schema_version() == static_cast<int>(postgresql_migrations().back().version));
  pg::Connection c(url);
  CHECK(c.exec("SELECT count(*) FROM stork_schema_migrations").int64(0, 0) ==
        static_cast<std::int64_t>(postgresql_migrations().size()));
}

TEST_CASE("PostgreSQL: the pool never opens more connections than its bound") {
  PgFixture fixture(1);
  pg::Connection c(store_url());
  const auto backends = [&] {
    return c.exec("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()").int64(0, 0);
  };
  const std::int64_t before = backends();
  pg::Database db(store_url(), pg::PoolOptions{3, std::chrono::milliseconds(5000)});
  PgSessionStore store(db);
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < 32; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        try {
          store.count_live(0, 1);
        } catch (const std::exception&) {
          ++errors;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(errors == 0);
  CHECK(db.pool().open_connections() <= 3);
  CHECK(db.pool().open_connections() >= 1);
  CHECK(backends() <= before + 3);
}

TEST_CASE("PostgreSQL: a pool waits no longer than its timeout, then the store is busy") {
  PgFixture fixture(1);
  pg::Database db(store_url(), pg::PoolOptions{1, std::chrono::milliseconds(200)});
  auto held = db.pool().acquire();
  PgSessionStore store(db);
  CHECK_THROWS_AS(store.count_live(0, 1), StoreBusy);
}

TEST_CASE("PostgreSQL: errors become Stork's own types at the storage edge") {
  PgFixture fixture(1);
  PgSessionStore store(fixture.db());
  Session s;
  s.public_id = "p1";
  s.user_id = 42;  // no such user: a foreign key violation is not "busy"
  CHECK_THROWS_AS(store.insert("h", s), StoreError);
  try {
    store.insert("h", s);
  } catch (const StoreBusy&) {
    FAIL("a constraint violation must not read as busy");
  } catch (const StoreError&) {
  }
}

TEST_SUITE_END();
