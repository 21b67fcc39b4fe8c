#pragma once
// The contract every PersonalDataStore backend must pass. The harness H
// (shared with the reset link, sign-up throttle and user directory
// contracts, see account_side_contract.hpp) gives a fresh store with users
// 1..3 and products kProduct1, kProduct2; then:
// TEST_CASE_TEMPLATE_INVOKE(personal_data_store_contract, H);

#include "account_side_contract.hpp"

#include <atomic>
#include <thread>
#include <vector>

TEST_CASE_TEMPLATE_DEFINE("PersonalDataStore contract", H, personal_data_store_contract) {
  using namespace stork;
  using namespace stork::contract;
  H h;
  PersonalDataStore& store = h.personal_data();
  Catalog& catalog = h.catalog();
  SessionStore& sessions = h.sessions();

  SUBCASE("an unknown user has nothing to collect or erase") {
    CHECK_FALSE(store.collect(99).has_value());
    CHECK_FALSE(store.erase(99));
  }

  SUBCASE("collect gives the profile, the ratings and the wishlist, by product id") {
    REQUIRE(catalog.rate(1, 2, 4, kT0));
    REQUIRE(catalog.rate(1, 1, 5, kT0 + 1));
    REQUIRE(catalog.set_wishlisted(1, 2, true, kT0 + 2));
    REQUIRE(catalog.rate(2, 1, 1, kT0));  // someone else's
    const auto data = store.collect(1);
    REQUIRE(data.has_value());
    CHECK(data->username == "user1");
    CHECK(data->first == "F");
    CHECK(data->last == "L");
    CHECK(data->created_at == 0);
    REQUIRE(data->ratings.size() == 2);
    CHECK(data->ratings[0].product_id == 1);
    CHECK(data->ratings[0].product_name == kProduct1.name);
    CHECK(data->ratings[0].stars == 5);
    CHECK(data->ratings[0].updated_at == kT0 + 1);
    CHECK(data->ratings[1].product_id == 2);
    CHECK(data->ratings[1].stars == 4);
    REQUIRE(data->wishlist.size() == 1);
    CHECK(data->wishlist[0].product_id == 2);
    CHECK(data->wishlist[0].product_name == kProduct2.name);
    CHECK(data->wishlist[0].added_at == kT0 + 2);
    const auto none = store.collect(3);
    REQUIRE(none.has_value());
    CHECK(none->ratings.empty());
    CHECK(none->wishlist.empty());
  }

  SUBCASE("erase takes the ratings out of the aggregates and removes everything of the user only") {
    REQUIRE(catalog.rate(1, 1, 5, kT0));
    REQUIRE(catalog.rate(2, 1, 3, kT0));
    REQUIRE(catalog.set_wishlisted(1, 2, true, kT0));
    REQUIRE(catalog.set_wishlisted(2, 2, true, kT0));
    const std::string mine = hash_token(new_session_token());
    const std::string theirs = hash_token(new_session_token());
    sessions.insert(mine, make_session(1, kT0));
    sessions.insert(theirs, make_session(2, kT0));

    CHECK(store.erase(1));
    CHECK_FALSE(store.collect(1).has_value());
    CHECK_FALSE(store.erase(1));
    const auto p1 = catalog.product(1);
    REQUIRE(p1.has_value());
    CHECK(p1->rating_sum == 3);
    CHECK(p1->rating_count == 1);
    CHECK_FALSE(sessions.find(mine).has_value());
    CHECK(sessions.find(theirs).has_value());
    const auto other = store.collect(2);
    REQUIRE(other.has_value());
    CHECK(other->ratings.size() == 1);
    CHECK(other->wishlist.size() == 1);
  }

  SUBCASE("ratings by others during an erasure keep the aggregates exact") {
    REQUIRE(catalog.rate(1, 1, 5, kT0));
    REQUIRE(catalog.rate(1, 2, 2, kT0));
    std::atomic<bool> stop{false};
    std::atomic<int> errors{0};
    std::vector<std::thread> raters;
    for (std::int64_t user : {2, 3}) {
      raters.emplace_back([&, user] {
        for (int i = 0; !stop || i < 20; ++i) {
          try {
            catalog.rate(user, 1 + i % 2, 1 + (i + static_cast<int>(user)) % 5, kT0 + i);
          } catch (const std::exception&) {
            ++errors;
          }
          if (i > 200) break;
        }
      });
    }
    CHECK(store.erase(1));
    stop = true;
    for (auto& t : raters) t.join();
    CHECK(errors == 0);
    for (std::int64_t product : {1, 2}) {
      CAPTURE(product);
      std::int64_t sum = 0;
      std::int64_t count = 0;
      for (std::int64_t user : {2, 3}) {
        if (const auto stars = catalog.viewer_state(user, product).rating) {
          sum += *stars;
          ++count;
        }
      }
      const auto p = catalog.product(product);
      REQUIRE(p.has_value());
      CHECK(p->rating_sum == sum);
      CHECK(p->rating_count == count);
    }
  }
}
