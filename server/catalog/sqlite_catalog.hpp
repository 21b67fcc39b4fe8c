#pragma once

#include "catalog/catalog.hpp"
#include "storage/database.hpp"

namespace stork {

class SqliteCatalog final : public Catalog {
 public:
  explicit SqliteCatalog(Database& db) : db_(db) {}

  std::optional<Product> product(std::int64_t id) override;
  ViewerState viewer_state(std::int64_t user_id, std::int64_t product_id) override;
  ViewerProfile viewer_profile(std::int64_t user_id, std::size_t limit) override;
  std::optional<ViewedProduct> viewed_product(std::int64_t id,
                                              std::optional<std::int64_t> user_id) override;
  bool rate(std::int64_t user_id, std::int64_t product_id, int stars, UnixSeconds now) override;
  bool set_wishlisted(std::int64_t user_id, std::int64_t product_id, bool on,
                      UnixSeconds now) override;

 private:
  Database& db_;
};

}  // namespace stork
