#pragma once
// The contract every UserDirectory backend must pass; the harness is
// described in account_side_contract.hpp. Then:
// TEST_CASE_TEMPLATE_INVOKE(user_directory_contract, H);

#include "account_side_contract.hpp"

TEST_CASE_TEMPLATE_DEFINE("UserDirectory contract", H, user_directory_contract) {
  using namespace stork;
  using namespace stork::contract;
  H h;
  UserDirectory& directory = h.directory();

  SUBCASE("list gives every account by username, with what each uses") {
    h.sessions().insert(hash_token(new_session_token()), make_session(2, kT0));
    h.sessions().insert(hash_token(new_session_token()), make_session(2, kT0));
    REQUIRE(h.catalog().rate(2, 1, 4, kT0));
    REQUIRE(h.catalog().set_wishlisted(2, 1, true, kT0));
    REQUIRE(h.catalog().set_wishlisted(2, 2, true, kT0));
    const auto users = directory.list();
    REQUIRE(users.size() == kAccountSideUsers);
    CHECK(users[0].username == "user1");
    CHECK(users[1].username == "user2");
    CHECK(users[2].username == "user3");
    CHECK(users[1].id == 2);
    CHECK(users[1].first == "F");
    CHECK(users[1].last == "L");
    CHECK_FALSE(users[1].disabled);
    CHECK(users[1].created_at == 0);
    CHECK(users[1].sessions == 2);
    CHECK(users[1].ratings == 1);
    CHECK(users[1].wishlist == 2);
    CHECK(users[0].sessions == 0);
    CHECK(users[0].ratings == 0);
    CHECK(users[0].wishlist == 0);
  }

  SUBCASE("show finds one account by its exact username") {
    h.sessions().insert(hash_token(new_session_token()), make_session(3, kT0));
    const auto u = directory.show("user3");
    REQUIRE(u.has_value());
    CHECK(u->id == 3);
    CHECK(u->sessions == 1);
    CHECK_FALSE(directory.show("nobody").has_value());
    CHECK_FALSE(directory.show("").has_value());
  }

  SUBCASE("an erased account is gone from the directory") {
    REQUIRE(h.personal_data().erase(1));
    CHECK(directory.list().size() == kAccountSideUsers - 1);
    CHECK_FALSE(directory.show("user1").has_value());
  }
}
