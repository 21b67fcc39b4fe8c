#pragma once
// Bulk loading into PostgreSQL: each table's rows go by COPY into a
// temporary table, then one INSERT .. SELECT merges them, so a 10,000-user
// workload is a handful of round trips, not 80,000.

#include "postgresql/pg_database.hpp"
#include "seed/seed_store.hpp"

namespace stork {

class PgSeedStore final : public SeedStore {
 public:
  explicit PgSeedStore(pg::Database& db) : db_(db) {}
  void load(const SeedData& data, const LoadProgress& progress) override;

 private:
  pg::Database& db_;
};

}  // namespace stork
