// Runs the store contracts against PostgreSQL: a real server, a throwaway
// cluster shared by this binary, one database emptied before each case.

#include "catalog_contract.hpp"
#include "identity_store_contract.hpp"
#include "lab_report_store_contract.hpp"
#include "personal_data_store_contract.hpp"
#include "product_store_contract.hpp"
#include "publisher_store_contract.hpp"
#include "refresh_token_store_contract.hpp"
#include "reset_link_store_contract.hpp"
#include "session_store_contract.hpp"
#include "signup_throttle_store_contract.hpp"
#include "unit_of_work_contract.hpp"
#include "user_directory_contract.hpp"

#include "pg_store_fixture.hpp"
#include "postgresql/pg_catalog.hpp"
#include "postgresql/pg_database.hpp"
#include "postgresql/pg_identity_store.hpp"
#include "postgresql/pg_lab_report_store.hpp"
#include "postgresql/pg_migrations.hpp"
#include "postgresql/pg_personal_data_store.hpp"
#include "postgresql/pg_product_store.hpp"
#include "postgresql/pg_publisher_store.hpp"
#include "postgresql/pg_refresh_token_store.hpp"
#include "postgresql/pg_reset_link_store.hpp"
#include "postgresql/pg_session_store.hpp"
#include "postgresql/pg_signup_throttle_store.hpp"
#include "postgresql/pg_user_directory.hpp"
#include "postgresql/pg_unit_of_work.hpp"

#include <atomic>
#include <thread>

namespace {

using namespace stork;

using test::PgFixture;

const std::string& store_url() { return test::pg_store_url(); }

class PgSessionStoreHarness {
 public:
  PgSessionStoreHarness() : fixture_(3), store_(fixture_.db()) {}
  SessionStore& store() { return store_; }

 private:
  PgFixture fixture_;
  PgSessionStore store_;
};

class PgIdentityStoreHarness {
 public:
  PgIdentityStoreHarness() : fixture_(1), store_(fixture_.db()) {
    pg::Connection c(store_url());
    c.exec("INSERT INTO publishers (key, created_at) VALUES ('acme', 0), ('beta', 0)");
  }
  IdentityStore& store() { return store_; }
  std::pair<std::string, std::string> names_of(std::int64_t user_id) {
    pg::Connection c(store_url());
    const pg::Result r = c.query("SELECT first_name, last_name FROM users WHERE id = $1", pg::Params(user_id));
    if (r.rows() == 0) return {};
    return {r.string(0, 0), r.string(0, 1)};
  }
  void remove_publisher(const std::string& key) {
    pg::Connection c(store_url());
    c.query("DELETE FROM publishers WHERE key = $1", pg::Params(key));
  }

 private:
  PgFixture fixture_;
  PgIdentityStore store_;
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

class PgUnitOfWorkHarness {
 public:
  PgUnitOfWorkHarness() : fixture_(3), unit_(fixture_.db()), sessions_(fixture_.db()) {}
  UnitOfWork& unit() { return unit_; }
  SessionStore& sessions() { return sessions_; }

 private:
  PgFixture fixture_;
  PgUnitOfWork unit_;
  PgSessionStore sessions_;
};

// A store over a fixture of `users` users and the given products.
template <typename Store, typename Interface, int users>
class PgStoreHarness {
 public:
  PgStoreHarness() : fixture_(users), store_(fixture_.db()) {}
  Interface& store() { return store_; }

 private:
  PgFixture fixture_;
  Store store_;
};

using PgRefreshTokenHarness = PgStoreHarness<PgRefreshTokenStore, RefreshTokenStore, 2>;
using PgLabReportHarness = PgStoreHarness<PgLabReportStore, LabReportStore, 0>;

class PgProductHarness {
 public:
  PgProductHarness() : fixture_(1), store_(fixture_.db()), catalog_(fixture_.db()) {}
  ProductStore& store() { return store_; }
  Catalog& catalog() { return catalog_; }
  std::int64_t user() const { return 1; }

 private:
  PgFixture fixture_;
  PgProductStore store_;
  PgCatalog catalog_;
};

class PgAccountSideHarness {
 public:
  PgAccountSideHarness()
      : fixture_(contract::kAccountSideUsers, {contract::kProduct1, contract::kProduct2}),
        personal_data_(fixture_.db()),
        reset_links_(fixture_.db()),
        signup_throttle_(fixture_.db()),
        directory_(fixture_.db()),
        sessions_(fixture_.db()),
        catalog_(fixture_.db()) {}
  PersonalDataStore& personal_data() { return personal_data_; }
  ResetLinkStore& reset_links() { return reset_links_; }
  SignupThrottleStore& signup_throttle() { return signup_throttle_; }
  UserDirectory& directory() { return directory_; }
  SessionStore& sessions() { return sessions_; }
  Catalog& catalog() { return catalog_; }
  std::string password_hash(std::int64_t user_id) {
    const pg::Result r = pg::Connection(store_url())
                             .query("SELECT password_hash FROM users WHERE id = $1", pg::Params(user_id));
    REQUIRE(r.rows() == 1);
    return r.string(0, 0);
  }

 private:
  PgFixture fixture_;
  PgPersonalDataStore personal_data_;
  PgResetLinkStore reset_links_;
  PgSignupThrottleStore signup_throttle_;
  PgUserDirectory directory_;
  PgSessionStore sessions_;
  PgCatalog catalog_;
};

// other(): a second pool on the same database, as another process holds.
class PgPublisherHarness {
 public:
  PgPublisherHarness()
      : fixture_(0),
        other_db_(store_url(), pg::PoolOptions{2, std::chrono::milliseconds(5000)}),
        store_(fixture_.db()),
        other_(other_db_) {}
  PublisherStore& store() { return store_; }
  PublisherStore& other() { return other_; }

 private:
  PgFixture fixture_;
  pg::Database other_db_;
  PgPublisherStore store_;
  PgPublisherStore other_;
};

}  // namespace

TEST_SUITE_BEGIN("postgresql");

TEST_CASE_TEMPLATE_INVOKE(session_store_contract, PgSessionStoreHarness);
TEST_CASE_TEMPLATE_INVOKE(catalog_contract, PgCatalogHarness);
TEST_CASE_TEMPLATE_INVOKE(identity_store_contract, PgIdentityStoreHarness);
TEST_CASE_TEMPLATE_INVOKE(unit_of_work_contract, PgUnitOfWorkHarness);
TEST_CASE_TEMPLATE_INVOKE(refresh_token_store_contract, PgRefreshTokenHarness);
TEST_CASE_TEMPLATE_INVOKE(lab_report_store_contract, PgLabReportHarness);
TEST_CASE_TEMPLATE_INVOKE(product_store_contract, PgProductHarness);
TEST_CASE_TEMPLATE_INVOKE(personal_data_store_contract, PgAccountSideHarness);
TEST_CASE_TEMPLATE_INVOKE(reset_link_store_contract, PgAccountSideHarness);
TEST_CASE_TEMPLATE_INVOKE(signup_throttle_store_contract, PgAccountSideHarness);
TEST_CASE_TEMPLATE_INVOKE(user_directory_contract, PgAccountSideHarness);
TEST_CASE_TEMPLATE_INVOKE(publisher_store_contract, PgPublisherHarness);

TEST_CASE("PostgreSQL: an import that fails in a late batch leaves no row of the earlier ones") {
  PgFixture fixture(0);
  PgProductStore store(fixture.db());
  std::vector<ProductRow> rows;
  for (int i = 1; i <= 12'000; ++i) rows.push_back(contract::product_row(i));
  // Not UTF-8: PostgreSQL refuses the third batch, after two were written.
  rows.back().name = "bad \xff name";
  std::vector<std::size_t> progress;
  CHECK_THROWS_AS(store.upsert_all(rows, [&](std::size_t done, std::size_t) { progress.push_back(done); }),
                  StoreError);
  CHECK(progress == std::vector<std::size_t>{10'000});  // the first batches did run
  CHECK_FALSE(store.find(1).has_value());
  CHECK(contract::all_rows(store).empty());
}

TEST_CASE("PostgreSQL: 100,000 products import in one transaction, and again unchanged") {
  PgFixture fixture(0);
  PgProductStore store(fixture.db());
  std::vector<ProductRow> rows;
  for (int i = 1; i <= 100'000; ++i) rows.push_back(contract::product_row(i, "Product \"" + std::to_string(i) + "\\"));
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(store.upsert_all(rows) == UpsertSummary{100'000, 0, 0});
  const auto t1 = std::chrono::steady_clock::now();
  CHECK(store.upsert_all(rows) == UpsertSummary{0, 0, 100'000});
  const auto t2 = std::chrono::steady_clock::now();
  CHECK(store.compare(rows) == UpsertSummary{0, 0, 100'000});
  CHECK(store.find(77)->name == "Product \"77\\");
  std::size_t exported = 0;
  store.for_each([&](const ProductRow&) { ++exported; });
  CHECK(exported == 100'000);
  const auto ms = [](auto d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  MESSAGE("100,000 products: first import " << ms(t1 - t0) << " ms, unchanged re-import " << ms(t2 - t1)
                                            << " ms");
}

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

TEST_CASE("PostgreSQL: a migration written after later ones ran is applied, the others are not rerun") {
  // A database of a Stork that had 001, 002, 007 and 009 but not yet 006
  // and 008: comparing with the highest number (9) would skip both. (The
  // migrations after 009 build on 006, so that Stork had none of them.)
  const std::string url = test::shared_pg_cluster().create_database();
  {
    pg::Connection c(url);
    c.exec("CREATE TABLE stork_schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
           " applied_at timestamptz NOT NULL DEFAULT now())");
    for (const Migration& m : postgresql_migrations()) {
      if (m.version == 6 || m.version == 8 || m.version > 9) continue;
      c.exec(m.sql);
      c.query("INSERT INTO stork_schema_migrations (version, name) VALUES ($1, $2)",
              pg::Params(m.version, m.name));
    }
  }
  pg::Database db(url);
  pg::Connection c(url);
  CHECK(c.exec("SELECT count(*) FROM stork_schema_migrations").int64(0, 0) ==
        static_cast<std::int64_t>(postgresql_migrations().size()));
  CHECK(db.schema_version() == static_cast<int>(postgresql_migrations().back().version));
  CHECK(c.exec("SELECT to_regclass('password_reset_links') IS NOT NULL").boolean(0, 0));
  CHECK(c.exec("SELECT count(*) FROM pg_indexes WHERE indexname = 'sessions_by_last_seen'"
               " AND indexdef LIKE '%absolute_expires_at%'").int64(0, 0) == 1);
  // 006's case-insensitive uniqueness is in force.
  c.exec("INSERT INTO users (username, first_name, last_name, password_hash, created_at)"
         " VALUES ('Alice', 'A', 'L', 'x', 0)");
  CHECK_THROWS_AS(c.exec("INSERT INTO users (username, first_name, last_name, password_hash, created_at)"
                         " VALUES ('alice', 'A', 'L', 'x', 0)"),
                  pg::Failure);
}

TEST_CASE("PostgreSQL: every change to publishers or their origins bumps the change counter") {
  PgFixture fixture(1);
  pg::Connection c(store_url());
  const auto version = [&] { return c.exec("SELECT version FROM publisher_changes").int64(0, 0); };
  const std::int64_t v0 = version();
  c.exec("INSERT INTO publishers (key, created_at) VALUES ('acme', 1)");
  const std::int64_t v1 = version();
  CHECK(v1 > v0);
  c.exec("INSERT INTO publisher_origins (publisher_id, origin) SELECT id, 'https://a.example' FROM publishers");
  const std::int64_t v2 = version();
  CHECK(v2 > v1);
  c.exec("DELETE FROM publisher_origins");
  const std::int64_t v3 = version();
  CHECK(v3 > v2);
  c.exec("UPDATE publishers SET created_at = 2");
  CHECK(version() > v3);
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
