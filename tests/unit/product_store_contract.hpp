#pragma once
// The contract every ProductStore backend must pass. A backend's test
// provides a harness type H with a default constructor that makes a fresh
// store with no products, `ProductStore& store()`, `Catalog& catalog()`
// (the visitors' side of the same data) and `std::int64_t user()`, the id
// of an existing user; then: TEST_CASE_TEMPLATE_INVOKE(product_store_contract, H);

#include "catalog/catalog.hpp"
#include "catalog/product_store.hpp"

#include <doctest/doctest.h>

#include <vector>

namespace stork::contract {

inline ProductRow product_row(std::int64_t id, std::string name = "Thing") {
  return {id, std::move(name), "Brand", 1000 + id, "EUR", "/assets/img/camera.svg"};
}

inline std::vector<ProductRow> all_rows(ProductStore& store) {
  std::vector<ProductRow> out;
  store.for_each([&](const ProductRow& r) { out.push_back(r); });
  return out;
}

}  // namespace stork::contract

TEST_CASE_TEMPLATE_DEFINE("ProductStore contract", H, product_store_contract) {
  using namespace stork;
  using namespace stork::contract;
  H h;
  ProductStore& store = h.store();

  SUBCASE("upsert adds, updates and leaves alone, and says which") {
    CHECK(store.upsert_all({product_row(1), product_row(2)}) == UpsertSummary{2, 0, 0});
    CHECK(store.compare({product_row(1), product_row(2, "Renamed"), product_row(3)}) ==
          UpsertSummary{1, 1, 1});
    CHECK(all_rows(store).size() == 2);  // compare changed nothing
    CHECK(store.upsert_all({product_row(1), product_row(2, "Renamed"), product_row(3)}) ==
          UpsertSummary{1, 1, 1});
    CHECK(store.find(2)->name == "Renamed");
    const auto rows = all_rows(store);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].id == 1);  // id order
    CHECK(rows[2] == product_row(3));
  }

  SUBCASE("a re-import keeps ratings, wishlists and their aggregates") {
    store.upsert_all({product_row(1)});
    REQUIRE(h.catalog().rate(h.user(), 1, 4, 100));
    REQUIRE(h.catalog().set_wishlisted(h.user(), 1, true, 100));
    store.upsert_all({product_row(1, "New name")});
    const auto p = h.catalog().product(1);
    REQUIRE(p);
    CHECK(p->name == "New name");
    CHECK(p->rating_sum == 4);
    CHECK(p->rating_count == 1);
    CHECK(h.catalog().viewer_state(h.user(), 1).wishlisted);
  }

  SUBCASE("the catalog sees an upsert at once") {
    store.upsert_all({product_row(7)});
    CHECK(h.catalog().product(7)->price_cents == 1007);
    store.upsert_all({ProductRow{7, "Yen", "B", 5000, "JPY", "https://cdn.example/x.png"}});
    const auto p = h.catalog().product(7);
    CHECK(p->price_cents == 5000);
    CHECK(p->currency == "JPY");
    CHECK(p->image == "https://cdn.example/x.png");
  }

  SUBCASE("progress is reported up to the total") {
    std::vector<ProductRow> rows;
    for (int i = 1; i <= 25'000; ++i) rows.push_back(product_row(i));
    std::vector<std::size_t> seen;
    store.upsert_all(rows, [&](std::size_t done, std::size_t total) {
      CHECK(total == 25'000);
      seen.push_back(done);
    });
    CHECK(seen == std::vector<std::size_t>{10'000, 20'000, 25'000});
  }

  SUBCASE("remove takes the product's ratings and wishlist entries with it") {
    store.upsert_all({product_row(1), product_row(2)});
    h.catalog().rate(h.user(), 1, 5, 100);
    h.catalog().set_wishlisted(h.user(), 1, true, 100);
    CHECK(store.remove(1));
    CHECK_FALSE(store.remove(1));
    CHECK_FALSE(store.find(1));
    CHECK_FALSE(h.catalog().product(1));
    CHECK_FALSE(h.catalog().viewer_state(h.user(), 1).wishlisted);
    CHECK_FALSE(h.catalog().viewer_state(h.user(), 1).rating);
    CHECK(store.find(2));
  }
}
