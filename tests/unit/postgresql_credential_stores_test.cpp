// Runs the AccountStore and ThrottleStore contracts against PostgreSQL
// (SQLite: credential_stores_test.cpp).

#include "account_store_contract.hpp"
#include "throttle_store_contract.hpp"

#include "pg_store_fixture.hpp"
#include "postgresql/pg_account_store.hpp"
#include "postgresql/pg_throttle_store.hpp"
#include "postgresql/pg_unit_of_work.hpp"

namespace {

using namespace stork;

class PgAccountStoreHarness {
 public:
  PgAccountStoreHarness() : fixture_(0), accounts_(fixture_.db()), unit_(fixture_.db()) {}
  AccountStore& accounts() { return accounts_; }
  UnitOfWork& unit() { return unit_; }

 private:
  test::PgFixture fixture_;
  PgAccountStore accounts_;
  PgUnitOfWork unit_;
};

class PgThrottleStoreHarness {
 public:
  PgThrottleStoreHarness() : fixture_(1), throttle_(fixture_.db()), unit_(fixture_.db()) {}
  ThrottleStore& throttle() { return throttle_; }
  UnitOfWork& unit() { return unit_; }

 private:
  test::PgFixture fixture_;
  PgThrottleStore throttle_;
  PgUnitOfWork unit_;
};

}  // namespace

TEST_SUITE_BEGIN("postgresql");

TEST_CASE_TEMPLATE_INVOKE(account_store_contract, PgAccountStoreHarness);
TEST_CASE_TEMPLATE_INVOKE(throttle_store_contract, PgThrottleStoreHarness);

TEST_SUITE_END();
