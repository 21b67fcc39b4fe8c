#pragma once
// The contract every SeedStore backend must pass. A backend's test
// provides a harness type H with a default constructor that makes a fresh,
// empty database and `stork::Backend& backend()` over it; then:
// TEST_CASE_TEMPLATE_INVOKE(seed_store_contract, H);

#include "seed/seed_store.hpp"
#include "storage/backend.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace stork::contract {

inline SeedData small_seed(const std::string& hash = "$argon2id$first") {
  SeedData d;
  d.now = 1'700'000'000;
  // Tabs, backslashes and newlines in names: what a bulk format escapes.
  d.users = {{"ann", "Ann", "Tab\there", hash}, {"bo", "Bo", "Back\\slash\nline", hash}};
  d.products = {{1, "One", "B", 100, "EUR", "/assets/img/camera.svg"},
                {2, "Two \"quoted\"", "B", 5000, "JPY", "https://img.example/2.png"}};
  d.ratings = {{"ann", 1, 5}, {"bo", 1, 2}, {"bo", 2, 4}, {"nobody", 1, 1}, {"ann", 99, 3}};
  d.wishlist = {{"ann", 2}, {"bo", 2}, {"nobody", 2}};
  return d;
}

}  // namespace stork::contract

TEST_CASE_TEMPLATE_DEFINE("SeedStore contract", H, seed_store_contract) {
  using namespace stork;
  using namespace stork::contract;
  H h;
  Backend& b = h.backend();

  SUBCASE("loads every row, escapes nothing away, and the aggregates are exact") {
    std::vector<std::string> reported;
    b.seed().load(small_seed(), [&](const std::string& what, std::size_t done, std::size_t total) {
      if (done == total) reported.push_back(what);
    });
    CHECK(reported == std::vector<std::string>{"users", "products", "ratings", "wishlist"});
    const auto ann = b.accounts().find("ann");
    const auto bo = b.accounts().find("bo");
    REQUIRE(ann);
    REQUIRE(bo);
    CHECK(ann->last == "Tab\there");
    CHECK(bo->last == "Back\\slash\nline");
    CHECK(b.accounts().password_hash(ann->id) == "$argon2id$first");
    const auto one = b.catalog().product(1);
    const auto two = b.catalog().product(2);
    REQUIRE(one);
    REQUIRE(two);
    CHECK(two->name == "Two \"quoted\"");
    CHECK(two->currency == "JPY");
    // Unknown users and products are skipped.
    CHECK(one->rating_sum == 7);
    CHECK(one->rating_count == 2);
    CHECK(two->rating_sum == 4);
    CHECK(two->rating_count == 1);
    CHECK(b.catalog().viewer_state(ann->id, 2).wishlisted);
    CHECK_FALSE(b.catalog().product(99));
  }

  SUBCASE("loading again updates passwords, keeps existing rows, and recounts") {
    b.seed().load(small_seed());
    const auto ann = b.accounts().find("ann");
    REQUIRE(ann);
    b.catalog().rate(ann->id, 2, 1, 1'700'000'100);  // a rating made after the first load
    SeedData again = small_seed("$argon2id$second");
    again.ratings.push_back({"ann", 1, 1});  // exists with 5: left alone
    b.seed().load(again);
    CHECK(b.accounts().password_hash(ann->id) == "$argon2id$second");
    CHECK(b.accounts().find("ann")->id == ann->id);
    CHECK(b.catalog().product(1)->rating_sum == 7);
    CHECK(b.catalog().product(2)->rating_sum == 5);
    CHECK(b.catalog().product(2)->rating_count == 2);
  }

  SUBCASE("an empty data set changes nothing") {
    b.seed().load(SeedData{});
    CHECK_FALSE(b.accounts().find("ann"));
    CHECK_FALSE(b.catalog().product(1));
  }
}
