#pragma once
// What makes a per-process read cache safe to read: the invalidations it
// has heard of, as numbers in one sequence.
//
// Every invalidation (a user's rows changed, a product's row, a session
// ended here, everything) takes the next number and stamps it on the slot
// of what changed. A cache fill takes a mark (the current number) BEFORE
// it reads the store, and keeps it with the entry; the entry may be
// served while no slot it depends on carries a number above its mark. So
// a fill that raced with a change (read the old row, stored it after the
// change was announced) is never served: its mark is below the change's
// number. Slots are a fixed array indexed by a hash: two keys may share a
// slot, which only costs an extra miss.
//
// The numbers are only as good as the feed that delivers other processes'
// changes: while it is down (feed_lost until feed_live) nothing is
// trusted, and coming back invalidates everything filled before.

#include "storage/change_sink.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

namespace stork {

class Invalidations final : public ChangeSink {
 public:
  struct Mark {
    std::uint64_t sequence = 0;
  };

  // Take before reading the store for a fill.
  Mark mark() const { return Mark{sequence_.load()}; }
  // Whether the feed is live: a lookup may use the cache only then.
  bool trusted() const { return live_.load(); }

  // Nothing the entry depends on changed after its mark.
  bool user_unchanged_since(std::int64_t user_id, Mark m) const;
  bool product_unchanged_since(std::int64_t product_id, Mark m) const;
  bool session_unchanged_since(std::string_view token_hash, Mark m) const;

  // A session ended through this process (its user may be unknown here).
  void session_changed(std::string_view token_hash);

  // ChangeSink: called by the feed, and by this process's own writes.
  void user_changed(std::int64_t user_id) override;
  void product_changed(std::int64_t product_id) override;
  void everything_changed() override;
  void feed_lost() override;
  void feed_live() override;

 private:
  static constexpr std::size_t kSlots = 4096;
  using Slots = std::array<std::atomic<std::uint64_t>, kSlots>;

  std::uint64_t next() { return sequence_.fetch_add(1) + 1; }
  static void stamp(std::atomic<std::uint64_t>& slot, std::uint64_t number);
  bool unchanged(const Slots& slots, std::size_t index, Mark m) const;

  std::atomic<std::uint64_t> sequence_{0};
  std::atomic<std::uint64_t> everything_{0};
  std::atomic<bool> live_{false};
  Slots users_{};
  Slots products_{};
  Slots sessions_{};
};

}  // namespace stork
