// Runs the RefreshTokenStore and LabReportStore contracts against SQLite.

#include "lab_report_store_contract.hpp"
#include "refresh_token_store_contract.hpp"

#include "accounts/sqlite_account_store.hpp"
#include "lab/sqlite_lab_report_store.hpp"
#include "sessions/sqlite_refresh_token_store.hpp"
#include "storage/database.hpp"
#include "test_support.hpp"

#include <memory>

namespace {

using namespace stork;

class SqliteRefreshHarness {
 public:
  SqliteRefreshHarness() : db_(std::make_unique<Database>(dir_.file("refresh.db"))), store_(*db_) {
    SqliteAccountStore accounts(*db_);
    for (const char* name : {"one", "two"}) {
      REQUIRE(accounts.add({name, "F", "L", "$argon2id$unused"}, 0).has_value());
    }
  }
  RefreshTokenStore& store() { return store_; }

 private:
  test::TempDir dir_;
  std::unique_ptr<Database> db_;
  SqliteRefreshTokenStore store_;
};

class SqliteLabReportHarness {
 public:
  SqliteLabReportHarness() : db_(std::make_unique<Database>(dir_.file("lab.db"))), store_(*db_) {}
  LabReportStore& store() { return store_; }

 private:
  test::TempDir dir_;
  std::unique_ptr<Database> db_;
  SqliteLabReportStore store_;
};

}  // namespace

TEST_CASE_TEMPLATE_INVOKE(refresh_token_store_contract, SqliteRefreshHarness);
TEST_CASE_TEMPLATE_INVOKE(lab_report_store_contract, SqliteLabReportHarness);
