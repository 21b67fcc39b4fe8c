#pragma once
// A Catalog that answers product reads from memory: each product, and
// each visitor's profile (everything they rated or wishlisted: one entry
// per visitor, not per visitor and product), while nothing has changed
// them since they were read. Ratings and wishlist changes go to the store
// and then invalidate, so the answer to a write shows the write.

#include "cache/cache_map.hpp"
#include "cache/read_cache.hpp"
#include "catalog/catalog.hpp"

namespace stork {

class CachedCatalog final : public Catalog {
 public:
  // A visitor with more products in their profile than this is read per
  // product, uncached.
  static constexpr std::size_t kProfileLimit = 1000;

  CachedCatalog(Catalog& catalog, ReadCache& cache)
      : catalog_(catalog), cache_(cache), products_(cache.options().products),
        profiles_(cache.options().profiles) {}

  std::optional<Product> product(std::int64_t id) override;
  ViewerState viewer_state(std::int64_t user_id, std::int64_t product_id) override;
  ViewerProfile viewer_profile(std::int64_t user_id, std::size_t limit) override {
    return catalog_.viewer_profile(user_id, limit);
  }
  std::optional<ViewedProduct> viewed_product(std::int64_t id,
                                              std::optional<std::int64_t> user_id) override;
  bool rate(std::int64_t user_id, std::int64_t product_id, int stars, UnixSeconds now) override;
  bool set_wishlisted(std::int64_t user_id, std::int64_t product_id, bool on,
                      UnixSeconds now) override;

 private:
  // The visitor's profile, or null when it is too large to keep.
  std::shared_ptr<const ViewerProfile> profile(std::int64_t user_id);

  Catalog& catalog_;
  ReadCache& cache_;
  CacheMap<std::int64_t, Product> products_;
  // An empty pointer records "too large": read per product.
  CacheMap<std::int64_t, ViewerProfile> profiles_;
};

}  // namespace stork
