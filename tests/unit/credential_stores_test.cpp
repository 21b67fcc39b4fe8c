// The AccountStore and ThrottleStore contracts on SQLite (the PostgreSQL
// runs are in postgresql_stores_test.cpp).

#include "account_store_contract.hpp"
#include "throttle_store_contract.hpp"

#include "storage/sqlite_backend.hpp"
#include "test_support.hpp"

#include <memory>

namespace {

using namespace stork;

// A real SQLite file in a fresh directory, every store on it; user 1 exists.
class SqliteCredentialHarness {
 public:
  SqliteCredentialHarness() : backend_(std::make_unique<SqliteBackend>(dir_.file("credentials.db"))) {}
  AccountStore& accounts() { return backend_->accounts(); }
  ThrottleStore& throttle() {
    if (!backend_->accounts().find("one")) backend_->accounts().add({"one", "O", "N", "h"}, 0);
    return backend_->throttle();
  }
  UnitOfWork& unit() { return backend_->unit_of_work(); }

 private:
  test::TempDir dir_;
  std::unique_ptr<SqliteBackend> backend_;
};

}  // namespace

TEST_CASE_TEMPLATE_INVOKE(account_store_contract, SqliteCredentialHarness);
TEST_CASE_TEMPLATE_INVOKE(throttle_store_contract, SqliteCredentialHarness);
