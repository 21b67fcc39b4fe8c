#pragma once
// Everything kept about one visitor, in PostgreSQL: export and erasure.
//
// Isolation: collect() reads at REPEATABLE READ, READ ONLY, so profile,
// ratings and wishlist come from one snapshot (READ COMMITTED would give
// each statement its own). erase() is READ COMMITTED: it locks the rated
// products' rows (in id order, the lock PgCatalog::rate takes first),
// then the user's row, then takes the user's ratings out of those
// aggregates, so a concurrent rating goes wholly before (and is then
// subtracted) or after (and finds the user gone): the aggregates stay
// exact. A rare deadlock (the same user rating a new product during the
// erasure) is retried.

#include "accounts/personal_data_store.hpp"
#include "postgresql/pg_database.hpp"

namespace stork {

class PgPersonalDataStore final : public PersonalDataStore {
 public:
  explicit PgPersonalDataStore(pg::Database& db) : db_(db) {}

  std::optional<PersonalData> collect(std::int64_t user_id) override;
  bool erase(std::int64_t user_id) override;

 private:
  pg::Database& db_;
};

}  // namespace stork
