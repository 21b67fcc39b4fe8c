#include "cache/invalidations.hpp"

#include <functional>
#include <string_view>

namespace stork {
namespace {

std::size_t slot_of(std::int64_t id, std::size_t slots) {
  return static_cast<std::size_t>(static_cast<std::uint64_t>(id) % slots);
}

}  // namespace

void Invalidations::stamp(std::atomic<std::uint64_t>& slot, std::uint64_t number) {
  // Two invalidations of one slot may store out of order: keep the larger.
  std::uint64_t seen = slot.load();
  while (seen < number && !slot.compare_exchange_weak(seen, number)) {
  }
}

bool Invalidations::unchanged(const Slots& slots, std::size_t index, Mark m) const {
  return everything_.load() <= m.sequence && slots[index].load() <= m.sequence;
}

bool Invalidations::user_unchanged_since(std::int64_t user_id, Mark m) const {
  return unchanged(users_, slot_of(user_id, kSlots), m);
}

bool Invalidations::product_unchanged_since(std::int64_t product_id, Mark m) const {
  return unchanged(products_, slot_of(product_id, kSlots), m);
}

bool Invalidations::session_unchanged_since(std::string_view token_hash, Mark m) const {
  return unchanged(sessions_, std::hash<std::string_view>{}(token_hash) % kSlots, m);
}

void Invalidations::session_changed(std::string_view token_hash) {
  stamp(sessions_[std::hash<std::string_view>{}(token_hash) % kSlots], next());
}

void Invalidations::user_changed(std::int64_t user_id) {
  stamp(users_[slot_of(user_id, kSlots)], next());
}

void Invalidations::product_changed(std::int64_t product_id) {
  stamp(products_[slot_of(product_id, kSlots)], next());
}

void Invalidations::everything_changed() { stamp(everything_, next()); }

void Invalidations::feed_lost() {
  live_.store(false);
  everything_changed();
}

void Invalidations::feed_live() {
  // Entries filled while the feed was down may have missed a change.
  everything_changed();
  live_.store(true);
}

}  // namespace stork
