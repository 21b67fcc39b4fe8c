#include "cache/caching_backend.hpp"

namespace stork {

CachingBackend::CachingBackend(std::unique_ptr<Backend> backend, std::unique_ptr<ReadCache> cache,
                               std::unique_ptr<ChangeFeed> feed)
    : inner_(std::move(backend)),
      cache_(std::move(cache)),
      sessions_(inner_->sessions(), *cache_),
      accounts_(inner_->accounts(), *cache_),
      catalog_(inner_->catalog(), *cache_),
      personal_data_(inner_->personal_data(), cache_->invalidations()),
      products_(inner_->products(), cache_->invalidations()),
      publishers_(inner_->publishers(), cache_->invalidations()),
      seed_(inner_->seed(), cache_->invalidations()),
      identity_(inner_->identity(), cache_->invalidations()),
      reset_links_(inner_->reset_links(), cache_->invalidations()),
      feed_(std::move(feed)) {}

CachingBackend::~CachingBackend() = default;

std::unique_ptr<Backend> with_read_cache(std::unique_ptr<Backend> backend,
                                         ReadCacheOptions options) {
  if (options.max_age.count() <= 0) return backend;
  auto cache = std::make_unique<ReadCache>(std::move(options));
  auto feed = backend->follow_changes(cache->invalidations());
  if (!feed) return backend;
  return std::make_unique<CachingBackend>(std::move(backend), std::move(cache), std::move(feed));
}

}  // namespace stork
