#pragma once
// What a backend's change feed tells a per-process read cache: which
// user's or product's rows another writer (any process) has committed a
// change to. The feed knows nothing of the cache; the cache knows nothing
// of how the feed hears of changes (PostgreSQL: LISTEN/NOTIFY, fired by
// triggers, so no write path can forget to announce itself).

#include <cstdint>
#include <memory>

namespace stork {

class ChangeSink {
 public:
  virtual ~ChangeSink() = default;
  // A committed change to the user's account, one of their sessions (other
  // than a touch), or their ratings or wishlist.
  virtual void user_changed(std::int64_t user_id) = 0;
  // A committed change to the product's row (its rating aggregates too).
  virtual void product_changed(std::int64_t product_id) = 0;
  // A change too broad or too unclear to name (a bulk delete, an unknown
  // message): forget everything.
  virtual void everything_changed() = 0;
  // The feed may miss changes from now on (its connection dropped): cached
  // reads must stop being trusted until feed_live().
  virtual void feed_lost() = 0;
  // The feed listens again: every change committed after this call is
  // delivered. Called once at start, and after each reconnection.
  virtual void feed_live() = 0;
};

// A running feed; destroying it stops it (joins its thread).
class ChangeFeed {
 public:
  virtual ~ChangeFeed() = default;
};

}  // namespace stork
