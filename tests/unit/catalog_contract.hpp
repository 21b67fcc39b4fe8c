#pragma once
// The contract every Catalog backend must pass. A backend's test provides
// a harness type H whose default constructor makes a fresh store holding
// users 1..8 and products 1 and 2 exactly as kProduct1/kProduct2 below
// (nothing rated or wishlisted), and `Catalog& catalog()`; then:
// TEST_CASE_TEMPLATE_INVOKE(catalog_contract, H);

#include "catalog/catalog.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <random>
#include <thread>
#include <vector>

namespace stork::contract {

inline const Product kProduct1{1, "Camera One", "Stork Optics", 49999, "EUR", "/assets/img/camera.svg", 0, 0};
inline const Product kProduct2{2, "Lens Two", "Heron", 1999, "EUR", "/assets/img/lens.svg", 0, 0};
inline constexpr int kCatalogUsers = 8;

}  // namespace stork::contract

TEST_CASE_TEMPLATE_DEFINE("Catalog contract", Harness, catalog_contract) {
  using namespace stork;
  using namespace stork::contract;
  Harness harness;
  Catalog& catalog = harness.catalog();
  const UnixSeconds now = 1'700'000'000;

  SUBCASE("a product reads back every field; an unknown one is nothing") {
    const auto p = catalog.product(1);
    REQUIRE(p.has_value());
    CHECK(p->id == 1);
    CHECK(p->name == kProduct1.name);
    CHECK(p->brand == kProduct1.brand);
    CHECK(p->price_cents == kProduct1.price_cents);
    CHECK(p->currency == "EUR");
    CHECK(p->image == kProduct1.image);
    CHECK(p->rating_sum == 0);
    CHECK(p->rating_count == 0);
    CHECK_FALSE(catalog.product(999).has_value());
    CHECK_FALSE(catalog.viewed_product(999, 1).has_value());
  }

  SUBCASE("a rating counts once per user; a new rating replaces the old in the sum") {
    CHECK(catalog.rate(1, 1, 4, now));
    CHECK(catalog.rate(2, 1, 2, now));
    CHECK(catalog.product(1)->rating_sum == 6);
    CHECK(catalog.product(1)->rating_count == 2);
    CHECK(catalog.rate(1, 1, 5, now + 1));
    CHECK(catalog.product(1)->rating_sum == 7);
    CHECK(catalog.product(1)->rating_count == 2);
    CHECK(catalog.product(2)->rating_count == 0);
    CHECK(catalog.viewer_state(1, 1).rating == 5);
    CHECK(catalog.viewer_state(2, 1).rating == 2);
    CHECK_FALSE(catalog.viewer_state(3, 1).rating.has_value());
  }

  SUBCASE("rating or wishlisting an unknown product changes nothing and says so") {
    CHECK_FALSE(catalog.rate(1, 999, 3, now));
    CHECK_FALSE(catalog.set_wishlisted(1, 999, true, now));
    CHECK_FALSE(catalog.set_wishlisted(1, 999, false, now));
    CHECK_FALSE(catalog.viewer_state(1, 999).rating.has_value());
    CHECK_FALSE(catalog.viewer_state(1, 999).wishlisted);
  }

  SUBCASE("wishlist: on and off, both idempotent, per user and product") {
    CHECK(catalog.set_wishlisted(1, 1, true, now));
    CHECK(catalog.set_wishlisted(1, 1, true, now));
    CHECK(catalog.viewer_state(1, 1).wishlisted);
    CHECK_FALSE(catalog.viewer_state(2, 1).wishlisted);
    CHECK_FALSE(catalog.viewer_state(1, 2).wishlisted);
    CHECK(catalog.set_wishlisted(1, 1, false, now));
    CHECK(catalog.set_wishlisted(1, 1, false, now));
    CHECK_FALSE(catalog.viewer_state(1, 1).wishlisted);
  }

  SUBCASE("viewed_product: the product and this visitor's state; an anonymous visitor sees none") {
    catalog.rate(3, 2, 3, now);
    catalog.set_wishlisted(3, 2, true, now);
    const auto mine = catalog.viewed_product(2, 3);
    REQUIRE(mine.has_value());
    CHECK(mine->product.name == kProduct2.name);
    CHECK(mine->product.rating_sum == 3);
    CHECK(mine->viewer.rating == 3);
    CHECK(mine->viewer.wishlisted);
    const auto other = catalog.viewed_product(2, 4);
    CHECK_FALSE(other->viewer.rating.has_value());
    CHECK_FALSE(other->viewer.wishlisted);
    const auto anonymous = catalog.viewed_product(2, std::nullopt);
    CHECK(anonymous->product.rating_count == 1);
    CHECK_FALSE(anonymous->viewer.rating.has_value());
    CHECK_FALSE(anonymous->viewer.wishlisted);
  }

  SUBCASE("viewer_profile: every product the visitor rated or wishlisted, merged, lowest ids first") {
    CHECK(catalog.viewer_profile(5, 100).empty());
    catalog.rate(5, 1, 4, now);
    catalog.set_wishlisted(5, 2, true, now);
    catalog.rate(6, 2, 1, now);
    auto profile = catalog.viewer_profile(5, 100);
    REQUIRE(profile.size() == 2);
    CHECK(profile[1].rating == 4);
    CHECK_FALSE(profile[1].wishlisted);
    CHECK_FALSE(profile[2].rating.has_value());
    CHECK(profile[2].wishlisted);
    // Both facts of one product in one entry; a change reads back at once.
    catalog.rate(5, 2, 2, now);
    catalog.set_wishlisted(5, 2, false, now);
    catalog.set_wishlisted(5, 1, true, now);
    profile = catalog.viewer_profile(5, 100);
    CHECK(profile[1].rating == 4);
    CHECK(profile[1].wishlisted);
    CHECK(profile[2].rating == 2);
    CHECK_FALSE(profile[2].wishlisted);
    const auto first = catalog.viewer_profile(5, 1);
    REQUIRE(first.size() == 1);
    CHECK(first.begin()->first == 1);
    CHECK(catalog.viewer_profile(6, 100).size() == 1);
    CHECK(catalog.viewer_profile(7, 100).empty());
  }

  SUBCASE("aggregates stay exact under concurrent ratings and wishlist changes") {
    // Every user rates both products again and again from two threads each
    // (so one user's ratings race each other too), while wishlist flags flip.
    constexpr int kThreadsPerUser = 2, kRounds = 15;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int u = 1; u <= kCatalogUsers; ++u) {
      for (int t = 0; t < kThreadsPerUser; ++t) {
        threads.emplace_back([&, u, t] {
          std::mt19937 rng(static_cast<unsigned>(u * 31 + t));
          for (int i = 0; i < kRounds; ++i) {
            const std::int64_t product = 1 + (i + t) % 2;
            try {
              if (!catalog.rate(u, product, 1 + static_cast<int>(rng() % 5), now + i)) ++failures;
              if (!catalog.set_wishlisted(u, product, rng() % 2 == 0, now + i)) ++failures;
            } catch (const std::exception&) {
              ++failures;
            }
          }
        });
      }
    }
    for (auto& t : threads) t.join();
    CHECK(failures == 0);
    for (const std::int64_t product : {1, 2}) {
      std::int64_t sum = 0, count = 0;
      for (int u = 1; u <= kCatalogUsers; ++u) {
        if (const auto stars = catalog.viewer_state(u, product).rating) {
          sum += *stars;
          ++count;
        }
      }
      const auto p = catalog.product(product);
      CHECK(count == kCatalogUsers);
      CHECK(p->rating_count == count);
      CHECK(p->rating_sum == sum);
    }
  }
}
