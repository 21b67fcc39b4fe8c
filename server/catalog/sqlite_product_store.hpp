#pragma once

#include "catalog/product_store.hpp"
#include "storage/database.hpp"

namespace stork {

class SqliteProductStore final : public ProductStore {
 public:
  explicit SqliteProductStore(Database& db) : db_(db) {}

  UpsertSummary compare(const std::vector<ProductRow>& rows) override;
  UpsertSummary upsert_all(const std::vector<ProductRow>& rows,
                           const WriteProgress& progress = {}) override;
  std::optional<ProductRow> find(std::int64_t id) override;
  void for_each(const std::function<void(const ProductRow&)>& fn) override;
  bool remove(std::int64_t id) override;

 private:
  Database& db_;
};

}  // namespace stork
