#include "cache/cached_catalog.hpp"

namespace stork {

std::optional<Product> CachedCatalog::product(std::int64_t id) {
  Invalidations& changes = cache_.invalidations();
  if (const auto kept = products_.find(id);
      kept && cache_.servable(kept->filled) && changes.product_unchanged_since(id, kept->mark)) {
    cache_.count(ReadCache::Kind::product, true);
    return *kept->value;
  }
  cache_.count(ReadCache::Kind::product, false);
  const auto mark = changes.mark();
  const auto began = cache_.now();
  cache_.reaching_store();
  auto found = catalog_.product(id);
  if (found) products_.put(id, {std::make_shared<const Product>(*found), mark, began});
  return found;
}

std::shared_ptr<const ViewerProfile> CachedCatalog::profile(std::int64_t user_id) {
  Invalidations& changes = cache_.invalidations();
  if (const auto kept = profiles_.find(user_id);
      kept && cache_.servable(kept->filled) && changes.user_unchanged_since(user_id, kept->mark)) {
    cache_.count(ReadCache::Kind::profile, true);
    return kept->value;
  }
  cache_.count(ReadCache::Kind::profile, false);
  const auto mark = changes.mark();
  const auto began = cache_.now();
  cache_.reaching_store();
  auto read = catalog_.viewer_profile(user_id, kProfileLimit + 1);
  std::shared_ptr<const ViewerProfile> kept;
  if (read.size() <= kProfileLimit) kept = std::make_shared<const ViewerProfile>(std::move(read));
  profiles_.put(user_id, {kept, mark, began});
  return kept;
}

ViewerState CachedCatalog::viewer_state(std::int64_t user_id, std::int64_t product_id) {
  const auto mine = profile(user_id);
  if (!mine) {
    cache_.reaching_store();
    return catalog_.viewer_state(user_id, product_id);
  }
  const auto it = mine->find(product_id);
  return it == mine->end() ? ViewerState{} : it->second;
}

std::optional<ViewedProduct> CachedCatalog::viewed_product(std::int64_t id,
                                                           std::optional<std::int64_t> user_id) {
  auto p = product(id);
  if (!p) return std::nullopt;
  ViewedProduct out{std::move(*p), {}};
  if (user_id) out.viewer = viewer_state(*user_id, id);
  return out;
}

// Each write invalidates after the store has done it (see
// CachedSessionStore).
bool CachedCatalog::rate(std::int64_t user_id, std::int64_t product_id, int stars,
                         UnixSeconds now) {
  const bool rated = catalog_.rate(user_id, product_id, stars, now);
  cache_.invalidations().user_changed(user_id);
  cache_.invalidations().product_changed(product_id);
  return rated;
}

bool CachedCatalog::set_wishlisted(std::int64_t user_id, std::int64_t product_id, bool on,
                                   UnixSeconds now) {
  const bool changed = catalog_.set_wishlisted(user_id, product_id, on, now);
  cache_.invalidations().user_changed(user_id);
  return changed;
}

}  // namespace stork
