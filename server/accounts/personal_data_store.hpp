#pragma once
// Everything Stork keeps about one visitor, as a whole: to hand it to them
// (export) and to erase it (account deletion). Each method is one
// transaction on the backend. Every backend passes
// tests/unit/personal_data_store_contract.hpp.

#include "clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stork {

struct ExportedRating {
  std::int64_t product_id = 0;
  std::string product_name;
  int stars = 0;
  UnixSeconds updated_at = 0;
};

struct ExportedWish {
  std::int64_t product_id = 0;
  std::string product_name;
  UnixSeconds added_at = 0;
};

struct PersonalData {
  std::string username;
  std::string first;
  std::string last;
  UnixSeconds created_at = 0;
  std::vector<ExportedRating> ratings;   // by product id
  std::vector<ExportedWish> wishlist;    // by product id
};

class PersonalDataStore {
 public:
  virtual ~PersonalDataStore() = default;

  // The profile, ratings and wishlist from one snapshot; nullopt for an
  // unknown user. (Sessions are the session store's.)
  virtual std::optional<PersonalData> collect(std::int64_t user_id) = 0;

  // In one transaction: takes the user's ratings out of every product's
  // aggregate, then removes the ratings, the wishlist, every session, any
  // reset link and the account itself. False for an unknown user (and
  // nothing changes).
  virtual bool erase(std::int64_t user_id) = 0;
};

}  // namespace stork
