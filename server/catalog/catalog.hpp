#pragma once
// Products, the visitors' ratings and wishlists. Handlers use only this
// interface; SqliteCatalog is today's backend.

#include "clock.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace stork {

struct Product {
  std::int64_t id = 0;
  std::string name;
  std::string brand;
  std::int64_t price_cents = 0;
  std::string currency;
  std::string image;
  std::int64_t rating_sum = 0;
  std::int64_t rating_count = 0;
};

// What one visitor has done with one product.
struct ViewerState {
  std::optional<int> rating;  // 1..5
  bool wishlisted = false;
};

// Everything one visitor has done with the catalog: the products they
// rated or wishlisted (any other product: the default ViewerState).
using ViewerProfile = std::map<std::int64_t, ViewerState>;

struct ViewedProduct {
  Product product;
  ViewerState viewer;  // default for an anonymous visitor
};

class Catalog {
 public:
  virtual ~Catalog() = default;
  virtual std::optional<Product> product(std::int64_t id) = 0;
  virtual ViewerState viewer_state(std::int64_t user_id, std::int64_t product_id) = 0;
  // At most `limit` products (lowest ids first): a read cache keeps one
  // profile per visitor instead of one entry per visitor and product.
  virtual ViewerProfile viewer_profile(std::int64_t user_id, std::size_t limit) = 0;
  // The product and what this visitor (if any) did with it. A backend may
  // answer both in one round trip; this default asks twice.
  virtual std::optional<ViewedProduct> viewed_product(std::int64_t id,
                                                      std::optional<std::int64_t> user_id) {
    auto p = product(id);
    if (!p) return std::nullopt;
    ViewedProduct out{std::move(*p), {}};
    if (user_id) out.viewer = viewer_state(*user_id, id);
    return out;
  }
  // Sets (or replaces) the user's rating. False when the product is unknown.
  virtual bool rate(std::int64_t user_id, std::int64_t product_id, int stars, UnixSeconds now) = 0;
  // False when the product is unknown.
  virtual bool set_wishlisted(std::int64_t user_id, std::int64_t product_id, bool on,
                              UnixSeconds now) = 0;
};

}  // namespace stork
