#pragma once

#include "seed/seed_store.hpp"
#include "storage/database.hpp"

namespace stork {

class SqliteSeedStore final : public SeedStore {
 public:
  explicit SqliteSeedStore(Database& db) : db_(db) {}
  void load(const SeedData& data, const LoadProgress& progress) override;

 private:
  Database& db_;
};

}  // namespace stork
