#pragma once
// The catalog owner's side of the products in PostgreSQL: bulk upsert,
// export, removal.
//
// Isolation: upsert_all is one READ COMMITTED transaction of batched
// multi-row upserts; ON CONFLICT locks each existing row it updates, so a
// concurrent rating (which locks its product row first, see PgCatalog)
// waits or goes first, and rating aggregates are never written here.
// compare() and for_each() read at REPEATABLE READ, READ ONLY: one
// snapshot for the whole walk, as the interface promises, and a read-only
// snapshot never aborts.

#include "catalog/product_store.hpp"
#include "postgresql/pg_database.hpp"

namespace stork {

class PgProductStore final : public ProductStore {
 public:
  explicit PgProductStore(pg::Database& db) : db_(db) {}

  UpsertSummary compare(const std::vector<ProductRow>& rows) override;
  UpsertSummary upsert_all(const std::vector<ProductRow>& rows,
                           const WriteProgress& progress = {}) override;
  std::optional<ProductRow> find(std::int64_t id) override;
  void for_each(const std::function<void(const ProductRow&)>& fn) override;
  bool remove(std::int64_t id) override;

 private:
  pg::Database& db_;
};

}  // namespace stork
