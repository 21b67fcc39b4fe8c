#include "cache/read_cache.hpp"

namespace stork {

std::string ReadCache::metrics_text() const {
  static constexpr const char* kNames[] = {"session", "user", "product", "profile"};
  std::string out =
      "# HELP stork_read_cache_hits_total Reads answered from this process's read cache.\n"
      "# TYPE stork_read_cache_hits_total counter\n";
  for (int k = 0; k < 4; ++k) {
    out += "stork_read_cache_hits_total{kind=\"" + std::string(kNames[k]) + "\"} " +
           std::to_string(hits_[k].load()) + "\n";
  }
  out += "# HELP stork_read_cache_misses_total Reads the read cache passed to the store.\n"
         "# TYPE stork_read_cache_misses_total counter\n";
  for (int k = 0; k < 4; ++k) {
    out += "stork_read_cache_misses_total{kind=\"" + std::string(kNames[k]) + "\"} " +
           std::to_string(misses_[k].load()) + "\n";
  }
  out += "# HELP stork_read_cache_feed_live 1 while the change feed is live (the cache is used).\n"
         "# TYPE stork_read_cache_feed_live gauge\n"
         "stork_read_cache_feed_live " +
         std::string(invalidations_.trusted() ? "1" : "0") + "\n";
  return out;
}

}  // namespace stork
