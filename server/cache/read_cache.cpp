#include "cache/read_cache.hpp"

namespace stork {
namespace {

// The innermost deferred scope of this thread, if any.
class DeferredScope;
thread_local DeferredScope* deferred_here = nullptr;

class DeferredScope final : public ReadScope {
 public:
  DeferredScope(const ReadCache& owner, std::function<std::unique_ptr<ReadScope>()> open)
      : owner_(owner), open_(std::move(open)), outer_(deferred_here) {
    deferred_here = this;
  }
  ~DeferredScope() override {
    opened_.reset();
    deferred_here = outer_;
  }
  DeferredScope(const DeferredScope&) = delete;
  DeferredScope& operator=(const DeferredScope&) = delete;

  const ReadCache& owner() const { return owner_; }
  void open() {
    if (!opened_ && open_) opened_ = open_();
    open_ = nullptr;  // once, even if the backend has no scope to give
  }

 private:
  const ReadCache& owner_;
  std::function<std::unique_ptr<ReadScope>()> open_;
  std::unique_ptr<ReadScope> opened_;
  DeferredScope* outer_;
};

}  // namespace

std::unique_ptr<ReadScope> ReadCache::deferred_scope(std::function<std::unique_ptr<ReadScope>()> open) {
  return std::make_unique<DeferredScope>(*this, std::move(open));
}

void ReadCache::reaching_store() {
  if (deferred_here && &deferred_here->owner() == this) deferred_here->open();
}

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
