#pragma once
// Bulk loading of a generated data set (the benchmark workload, the
// demo's catalog): one call, one transaction, as fast as the backend can
// take rows (PostgreSQL: COPY). Every backend passes
// tests/unit/seed_store_contract.hpp.

#include "catalog/product_row.hpp"
#include "clock.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace stork {

struct SeedUser {
  std::string username;
  std::string first_name;
  std::string last_name;
  std::string password_hash;
};

struct SeedRating {
  std::string username;
  std::int64_t product_id = 0;
  int stars = 0;  // 1..5
};

struct SeedWish {
  std::string username;
  std::int64_t product_id = 0;
};

struct SeedData {
  std::vector<SeedUser> users;
  std::vector<ProductRow> products;
  std::vector<SeedRating> ratings;
  std::vector<SeedWish> wishlist;
  UnixSeconds now = 0;
};

// (what is being loaded, rows of it done, its total)
using LoadProgress = std::function<void(const std::string& what, std::size_t done, std::size_t total)>;

class SeedStore {
 public:
  virtual ~SeedStore() = default;

  // In one transaction: users are added, or get the given password hash
  // if the username exists; products, ratings and wishlist entries are
  // added unless they exist (an existing row is left as it is); then every
  // product's rating aggregates are recomputed from its ratings, so they
  // are exact whatever was there before. Ratings and wishes of unknown
  // users or products are skipped.
  virtual void load(const SeedData& data, const LoadProgress& progress = {}) = 0;
};

}  // namespace stork
