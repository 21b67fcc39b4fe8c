// Runs the contracts of the account-side stores (personal data, reset
// links, sign-up throttle, user directory) against SQLite (PostgreSQL:
// postgresql_stores_test.cpp).

#include "personal_data_store_contract.hpp"
#include "reset_link_store_contract.hpp"
#include "signup_throttle_store_contract.hpp"
#include "user_directory_contract.hpp"

#include "accounts/sqlite_personal_data_store.hpp"
#include "accounts/sqlite_reset_link_store.hpp"
#include "accounts/sqlite_signup_throttle_store.hpp"
#include "accounts/sqlite_user_directory.hpp"
#include "catalog/sqlite_catalog.hpp"
#include "sessions/sqlite_session_store.hpp"
#include "storage/database.hpp"
#include "test_support.hpp"

#include <memory>

namespace {

using namespace stork;

class SqliteAccountSideHarness {
 public:
  SqliteAccountSideHarness()
      : db_(std::make_unique<Database>(dir_.file("accounts.db"))),
        personal_data_(*db_),
        reset_links_(*db_),
        signup_throttle_(*db_),
        directory_(*db_),
        sessions_(*db_),
        catalog_(*db_) {
    for (int u = 1; u <= contract::kAccountSideUsers; ++u) {
      auto q = db_->connection().prepare(
          "INSERT INTO users (id, username, first_name, last_name, password_hash, created_at) "
          "VALUES (?, ?, 'F', 'L', ?, 0)");
      q->bind(1, u);
      q->bind(2, "user" + std::to_string(u));
      q->bind(3, contract::kInitialHash);
      q->exec();
    }
    for (const Product& p : {contract::kProduct1, contract::kProduct2}) {
      auto q = db_->connection().prepare(
          "INSERT INTO products (id, name, brand, price_cents, currency, image) VALUES (?, ?, ?, ?, ?, ?)");
      q->bind(1, p.id);
      q->bind(2, p.name);
      q->bind(3, p.brand);
      q->bind(4, p.price_cents);
      q->bind(5, p.currency);
      q->bind(6, p.image);
      q->exec();
    }
  }
  PersonalDataStore& personal_data() { return personal_data_; }
  ResetLinkStore& reset_links() { return reset_links_; }
  SignupThrottleStore& signup_throttle() { return signup_throttle_; }
  UserDirectory& directory() { return directory_; }
  SessionStore& sessions() { return sessions_; }
  Catalog& catalog() { return catalog_; }
  std::string password_hash(std::int64_t user_id) {
    auto q = db_->connection().prepare("SELECT password_hash FROM users WHERE id = ?");
    q->bind(1, user_id);
    REQUIRE(q->executeStep());
    return q->getColumn(0).getString();
  }

 private:
  test::TempDir dir_;
  std::unique_ptr<Database> db_;
  SqlitePersonalDataStore personal_data_;
  SqliteResetLinkStore reset_links_;
  SqliteSignupThrottleStore signup_throttle_;
  SqliteUserDirectory directory_;
  SqliteSessionStore sessions_;
  SqliteCatalog catalog_;
};

}  // namespace

TEST_CASE_TEMPLATE_INVOKE(personal_data_store_contract, SqliteAccountSideHarness);
TEST_CASE_TEMPLATE_INVOKE(reset_link_store_contract, SqliteAccountSideHarness);
TEST_CASE_TEMPLATE_INVOKE(signup_throttle_store_contract, SqliteAccountSideHarness);
TEST_CASE_TEMPLATE_INVOKE(user_directory_contract, SqliteAccountSideHarness);
