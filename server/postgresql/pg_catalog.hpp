#pragma once
// Products, ratings and wishlists in PostgreSQL. The aggregates on each
// product (rating_sum, rating_count) stay exact however many processes
// rate at once: see rate().

#include "catalog/catalog.hpp"
#include "postgresql/pg_database.hpp"

namespace stork {

class PgCatalog final : public Catalog {
 public:
  explicit PgCatalog(pg::Database& db) : db_(db) {}

  std::optional<Product> product(std::int64_t id) override;
  ViewerState viewer_state(std::int64_t user_id, std::int64_t product_id) override;
  ViewerProfile viewer_profile(std::int64_t user_id, std::size_t limit) override;
  std::optional<ViewedProduct> viewed_product(std::int64_t id,
                                              std::optional<std::int64_t> user_id) override;
  bool rate(std::int64_t user_id, std::int64_t product_id, int stars, UnixSeconds now) override;
  bool set_wishlisted(std::int64_t user_id, std::int64_t product_id, bool on,
                      UnixSeconds now) override;

 private:
  pg::Database& db_;
};

}  // namespace stork
