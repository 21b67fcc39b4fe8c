// Runs the ProductStore contract against every backend, and the catalog
// import use case on SQLite.

#include "product_store_contract.hpp"

#include "accounts/sqlite_account_store.hpp"
#include "catalog/catalog_import.hpp"
#include "catalog/sqlite_catalog.hpp"
#include "catalog/sqlite_product_store.hpp"
#include "storage/database.hpp"
#include "test_support.hpp"

#include <memory>
#include <sstream>

namespace {

using namespace stork;

class SqliteProductHarness {
 public:
  SqliteProductHarness()
      : db_(std::make_unique<Database>(dir_.file("catalog.db"))), store_(*db_), catalog_(*db_) {
    user_ = SqliteAccountStore(*db_).add({"rater", "R", "R", "$argon2id$unused"}, 0)->id;
  }
  ProductStore& store() { return store_; }
  Catalog& catalog() { return catalog_; }
  std::int64_t user() const { return user_; }

 private:
  test::TempDir dir_;
  std::unique_ptr<Database> db_;
  SqliteProductStore store_;
  SqliteCatalog catalog_;
  std::int64_t user_ = 0;
};

}  // namespace

TEST_CASE_TEMPLATE_INVOKE(product_store_contract, SqliteProductHarness);

TEST_CASE("CatalogImport: all or nothing, --check changes nothing, summary counts") {
  SqliteProductHarness h;
  CatalogImport import(h.store());
  const std::string good =
      "id,name,brand,price,currency,image\n"
      "1,One,B,1.00,EUR,/assets/img/camera.svg\n"
      "2,Two,B,5000,JPY,/assets/img/camera.svg\n";
  {
    std::istringstream in(good);
    ImportOptions check;
    check.check_only = true;
    const auto report = import.run(in, ProductFormat::csv, check);
    CHECK(report.problems.empty());
    CHECK_FALSE(report.applied);
    CHECK(report.summary == UpsertSummary{2, 0, 0});
    CHECK_FALSE(h.store().find(1));
  }
  {
    std::istringstream in(good);
    const auto report = import.run(in, ProductFormat::csv, {});
    CHECK(report.applied);
    CHECK(report.summary == UpsertSummary{2, 0, 0});
    CHECK(h.store().find(2)->price_minor == 5000);
  }
  {
    // One bad line among good ones: the good ones are not written either.
    std::istringstream in(
        "id,name,brand,price,currency,image\n"
        "1,One renamed,B,1.00,EUR,/assets/img/camera.svg\n"
        "3,Three,B,1.00,EUR,/assets/img/camera.svg\n"
        "4,Four,B,1.001,EUR,/assets/img/camera.svg\n");
    const auto report = import.run(in, ProductFormat::csv, {});
    REQUIRE(report.problems.size() == 1);
    CHECK(report.problems[0].line == 4);
    CHECK(report.problems[0].field == "price");
    CHECK_FALSE(report.applied);
    CHECK(h.store().find(1)->name == "One");
    CHECK_FALSE(h.store().find(3));
  }
  {
    std::istringstream in(good);
    const auto report = import.run(in, ProductFormat::csv, {});
    CHECK(report.summary == UpsertSummary{0, 0, 2});
  }
}
