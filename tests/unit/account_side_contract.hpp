#pragma once
// What the contracts of the account-side stores (personal data, reset
// links, sign-up throttle, user directory) share. One harness type H per
// backend serves all four: its default constructor makes a fresh store
// in which users 1, 2 and 3 exist as "user1".."user3" (first name "F",
// last name "L", created at 0, password hash kInitialHash) and products
// kProduct1 and kProduct2, and it offers, all over the same backend:
//   PersonalDataStore& personal_data();  ResetLinkStore& reset_links();
//   SignupThrottleStore& signup_throttle();  UserDirectory& directory();
//   SessionStore& sessions();  Catalog& catalog();
//   std::string password_hash(std::int64_t user_id);  // as stored

#include "accounts/personal_data_store.hpp"
#include "accounts/reset_link_store.hpp"
#include "accounts/signup_throttle_store.hpp"
#include "accounts/user_directory.hpp"
#include "catalog_contract.hpp"
#include "session_store_contract.hpp"

#include <doctest/doctest.h>

namespace stork::contract {

inline constexpr const char* kInitialHash = "$argon2id$unused";  // as test::kFixtureHash
inline constexpr int kAccountSideUsers = 3;

}  // namespace stork::contract
