#pragma once
// What every cached store shares: the invalidations, how old an entry may
// grow, the clock that says how old it is, and the counters /metrics shows.
//
// The age limit is the bound for the one failure the invalidations cannot
// see: a feed that is connected but silent (a change whose notification
// never comes). Then an entry is served for at most max_age after the read
// that filled it began; normally an invalidation arrives within
// milliseconds of the commit.

#include "cache/invalidations.hpp"
#include "storage/backend.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace stork {

struct ReadCacheOptions {
  using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;
  // 0: no cache.
  std::chrono::milliseconds max_age{2000};
  std::size_t sessions = 65536;  // entries of each kind, at most
  std::size_t users = 65536;
  std::size_t products = 16384;
  std::size_t profiles = 16384;
  SteadyClock clock = std::chrono::steady_clock::now;
};

class ReadCache {
 public:
  explicit ReadCache(ReadCacheOptions options) : options_(std::move(options)) {}

  Invalidations& invalidations() { return invalidations_; }
  const ReadCacheOptions& options() const { return options_; }
  std::chrono::steady_clock::time_point now() const { return options_.clock(); }
  // Younger than max_age, and the feed live.
  bool servable(std::chrono::steady_clock::time_point filled) const {
    return invalidations_.trusted() && now() - filled < options_.max_age;
  }

  // A read scope of the store below (one snapshot for a request's reads),
  // opened only when the first read of this thread reaches the store
  // through this cache: a request answered from memory takes no reader
  // connection and no read transaction. Writes do not open it; they run
  // as they would in a request without one.
  std::unique_ptr<ReadScope> deferred_scope(std::function<std::unique_ptr<ReadScope>()> open);
  // Called by the cached stores before a read reaches the store.
  void reaching_store();

  enum class Kind { session, user, product, profile };
  void count(Kind kind, bool hit) { (hit ? hits_ : misses_)[static_cast<int>(kind)].fetch_add(1); }
  // Prometheus text: hits and misses by kind, and whether the feed is live.
  std::string metrics_text() const;

 private:
  ReadCacheOptions options_;
  Invalidations invalidations_;
  std::atomic<std::uint64_t> hits_[4]{};
  std::atomic<std::uint64_t> misses_[4]{};
};

}  // namespace stork
