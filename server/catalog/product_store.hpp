#pragma once
// The catalog owner's side of the products: bulk upsert, export, removal.
// (Catalog, beside it, is the visitors' side: reads, ratings, wishlists.)
// Every backend passes tests/unit/product_store_contract.hpp.

#include "catalog/product_row.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

namespace stork {

struct UpsertSummary {
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
  bool operator==(const UpsertSummary&) const = default;
};

// Rows written so far, of the total.
using WriteProgress = std::function<void(std::size_t done, std::size_t total)>;

class ProductStore {
 public:
  virtual ~ProductStore() = default;

  // What upsert_all would do, changing nothing.
  virtual UpsertSummary compare(const std::vector<ProductRow>& rows) = 0;

  // In one transaction: adds rows with new ids, updates rows that differ,
  // leaves equal rows alone (ratings and wishlists are kept). Either every
  // row is written or, if anything fails, none is.
  virtual UpsertSummary upsert_all(const std::vector<ProductRow>& rows,
                                   const WriteProgress& progress = {}) = 0;

  virtual std::optional<ProductRow> find(std::int64_t id) = 0;

  // Every product in id order, from one consistent snapshot.
  virtual void for_each(const std::function<void(const ProductRow&)>& fn) = 0;

  // Removes the product with its ratings and wishlist entries. False when
  // there is none.
  virtual bool remove(std::int64_t id) = 0;
};

}  // namespace stork
