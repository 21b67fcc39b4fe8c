// Runs the Catalog contract against SQLite (PostgreSQL: postgresql_stores_test.cpp).

#include "catalog_contract.hpp"

#include "accounts/sqlite_account_store.hpp"
#include "catalog/sqlite_catalog.hpp"
#include "storage/database.hpp"
#include "test_support.hpp"

#include <memory>

namespace {

using namespace stork;

class SqliteCatalogHarness {
 public:
  SqliteCatalogHarness() : db_(std::make_unique<Database>(dir_.file("catalog.db"))), catalog_(*db_) {
    SqliteAccountStore accounts(*db_);
    for (int u = 1; u <= contract::kCatalogUsers; ++u) {
      REQUIRE(accounts.add({"user" + std::to_string(u), "F", "L", "$argon2id$unused"}, 0)->id == u);
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
  Catalog& catalog() { return catalog_; }

 private:
  test::TempDir dir_;
  std::unique_ptr<Database> db_;
  SqliteCatalog catalog_;
};

}  // namespace

TEST_CASE_TEMPLATE_INVOKE(catalog_contract, SqliteCatalogHarness);
