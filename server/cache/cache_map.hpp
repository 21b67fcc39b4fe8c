#pragma once
// The entries of one kind of cached read, in shards with a lock each (the
// product read runs on every worker thread at once). Bounded: a shard that
// outgrows its share of the capacity is emptied, which is cheaper to
// reason about than an eviction order and costs a few misses.
//
// Values are shared and immutable, so a hit copies a pointer under the
// lock, not the value.

#include "cache/invalidations.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace stork {

template <typename Key, typename Value>
class CacheMap {
 public:
  struct Entry {
    std::shared_ptr<const Value> value;
    Invalidations::Mark mark;                       // taken before the store was read
    std::chrono::steady_clock::time_point filled;   // when that read began
  };

  explicit CacheMap(std::size_t capacity) : per_shard_(capacity / kShards + 1) {}

  std::optional<Entry> find(const Key& key) const {
    const Shard& shard = shard_of(key);
    const std::lock_guard lock(shard.mutex);
    const auto it = shard.entries.find(key);
    if (it == shard.entries.end()) return std::nullopt;
    return it->second;
  }

  void put(const Key& key, Entry entry) {
    Shard& shard = shard_of(key);
    const std::lock_guard lock(shard.mutex);
    if (shard.entries.size() >= per_shard_) shard.entries.clear();
    shard.entries.insert_or_assign(key, std::move(entry));
  }

  // Replaces the value of an entry if there is one, keeping its mark and
  // age: for changes this process makes that need no invalidation.
  void update(const Key& key, const std::function<Value(const Value&)>& change) {
    Shard& shard = shard_of(key);
    const std::lock_guard lock(shard.mutex);
    const auto it = shard.entries.find(key);
    if (it != shard.entries.end()) {
      it->second.value = std::make_shared<const Value>(change(*it->second.value));
    }
  }

  void erase(const Key& key) {
    Shard& shard = shard_of(key);
    const std::lock_guard lock(shard.mutex);
    shard.entries.erase(key);
  }

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<Key, Entry> entries;
  };
  Shard& shard_of(const Key& key) { return shards_[std::hash<Key>{}(key) % kShards]; }
  const Shard& shard_of(const Key& key) const { return shards_[std::hash<Key>{}(key) % kShards]; }

  const std::size_t per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace stork
