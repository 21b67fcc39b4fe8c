// Runs the IdentityStore contract on SQLite (PostgreSQL: postgresql_stores_test.cpp).

#include "identity_store_contract.hpp"

#include "accounts/sqlite_account_store.hpp"
#include "identity/sqlite_identity_store.hpp"
#include "publishers/sqlite_publisher_store.hpp"
#include "storage/database.hpp"
#include "test_support.hpp"

#include <memory>

namespace {

using namespace stork;

class SqliteIdentityStoreHarness {
 public:
  SqliteIdentityStoreHarness() : db_(std::make_unique<Database>(dir_.file("identity.db"))), store_(*db_) {
    REQUIRE(SqliteAccountStore(*db_).add({"one", "F", "L", "$argon2id$unused"}, 0)->id == 1);
    SqlitePublisherStore publishers(*db_);
    publishers.add("acme", std::nullopt, {"https://acme.example"}, 0);
    publishers.add("beta", std::nullopt, {"https://beta.example"}, 0);
  }
  IdentityStore& store() { return store_; }
  std::pair<std::string, std::string> names_of(std::int64_t user_id) {
    const auto user = SqliteAccountStore(*db_).find(user_id);
    if (!user) return {};
    return {user->first, user->last};
  }
  void remove_publisher(const std::string& key) {
    auto q = db_->connection().prepare("DELETE FROM publishers WHERE key = ?");
    q->bind(1, key);
    q->exec();
  }

 private:
  test::TempDir dir_;
  std::unique_ptr<Database> db_;
  SqliteIdentityStore store_;
};

}  // namespace

TEST_CASE_TEMPLATE_INVOKE(identity_store_contract, SqliteIdentityStoreHarness);
