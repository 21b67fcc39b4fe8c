#pragma once
// A migrated PostgreSQL database for store tests, on the test binary's
// shared throwaway cluster (pg_cluster.hpp): every fixture empties it and
// fills in users "user1".."userN" and the given products, so each case
// starts from the same rows without paying for a new database.

#include "catalog/catalog.hpp"
#include "pg_cluster.hpp"
#include "postgresql/pg_database.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace stork::test {

// The password hash of every fixture user.
inline constexpr const char* kFixtureHash = "$argon2id$unused";

// The database of this binary's PostgreSQL store cases, migrated once.
inline const std::string& pg_store_url() {
  static const std::string url = shared_pg_cluster().create_database();
  return url;
}

class PgFixture {
 public:
  explicit PgFixture(int users, const std::vector<Product>& products = {})
      : db_(pg_store_url(), pg::PoolOptions{8, std::chrono::milliseconds(5000)}) {
    empty_database(pg_store_url());
    pg::Connection c(pg_store_url());
    for (int u = 1; u <= users; ++u) {
      c.query("INSERT INTO users (username, first_name, last_name, password_hash, created_at) "
              "VALUES ($1, 'F', 'L', $2, 0)",
              pg::Params("user" + std::to_string(u), kFixtureHash));
    }
    for (const Product& p : products) {
      c.query("INSERT INTO products (id, name, brand, price_cents, currency, image) "
              "VALUES ($1, $2, $3, $4, $5, $6)",
              pg::Params(p.id, p.name, p.brand, p.price_cents, p.currency, p.image));
    }
  }
  pg::Database& db() { return db_; }

 private:
  pg::Database db_;
};

}  // namespace stork::test
