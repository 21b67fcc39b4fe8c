// Contracts run through a whole Backend, as the composition root wires
// it: the SeedStore contract on both backends, and the UnitOfWork contract
// on SQLite (postgresql_stores_test.cpp runs it on PostgreSQL).

#include "seed_store_contract.hpp"
#include "unit_of_work_contract.hpp"

#include "pg_store_fixture.hpp"
#include "storage/pg_backend.hpp"
#include "storage/sqlite_backend.hpp"
#include "test_support.hpp"

namespace {

using namespace stork;

class SqliteSeedHarness {
 public:
  SqliteSeedHarness() : backend_(dir_.file("seed.db")) {}
  Backend& backend() { return backend_; }

 private:
  test::TempDir dir_;
  SqliteBackend backend_;
};

// Users 1, 2 and 3 exist, as the UnitOfWork contract expects.
class SqliteUnitOfWorkHarness {
 public:
  SqliteUnitOfWorkHarness() : backend_(dir_.file("unit.db")) {
    for (const char* name : {"u1", "u2", "u3"}) backend_.accounts().add({name, "F", "L", "$argon2id$unused"}, 0);
  }
  UnitOfWork& unit() { return backend_.unit_of_work(); }
  SessionStore& sessions() { return backend_.sessions(); }

 private:
  test::TempDir dir_;
  SqliteBackend backend_;
};

class PgSeedHarness {
 public:
  PgSeedHarness() : backend_((test::empty_database(test::pg_store_url()), test::pg_store_url()), pg::PoolOptions{}) {}
  Backend& backend() { return backend_; }

 private:
  PgBackend backend_;
};

}  // namespace

TEST_CASE_TEMPLATE_INVOKE(seed_store_contract, SqliteSeedHarness);
TEST_CASE_TEMPLATE_INVOKE(unit_of_work_contract, SqliteUnitOfWorkHarness);

TEST_SUITE_BEGIN("postgresql");
TEST_CASE_TEMPLATE_INVOKE(seed_store_contract, PgSeedHarness);
TEST_SUITE_END();
