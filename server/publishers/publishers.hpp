#pragma once
// Registered publishers as request handlers see them. Read on every widget
// load, CORS check and product read, changed rarely (by the operator, from
// another process), so requests read an in-memory snapshot of the
// PublisherStore, and the snapshot follows the store's change counter.
//
// The bound: before answering, a lookup compares the store's version()
// if the last comparison is older than the check interval (200 ms by
// default), and re-reads the list when it moved. So a change committed
// through any process is seen by every lookup that starts more than
// check_interval + one check (a read of one row, plus the list when it
// changed) after the commit. On SQLite, the version is read inside the
// request's snapshot when the request holds one, which adds at most the
// time that request has been running. Between checks a lookup is a map
// search under a shared pointer: no store call on the hot path.
//
// When a check fails (store unreachable), the last list keeps serving and
// the next lookup after the interval tries again.

#include "publishers/publisher_store.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace stork {

class PublisherDirectory {
 public:
  using SteadyClock = std::function<std::chrono::steady_clock::time_point()>;
  static constexpr std::chrono::milliseconds kCheckInterval{200};

  // Reads the store once (throws StoreBusy / StoreError if it cannot).
  explicit PublisherDirectory(PublisherStore& store,
                              std::chrono::milliseconds check_interval = kCheckInterval,
                              SteadyClock clock = std::chrono::steady_clock::now);

  std::optional<Publisher> find(const std::string& key) const;
  bool contains(const std::string& key) const { return current()->by_key.contains(key); }
  // Key of a publisher that registered this origin, if any.
  std::optional<std::string> key_for_origin(const std::string& origin) const;
  bool is_registered_origin(const std::string& origin) const {
    return current()->key_by_origin.contains(origin);
  }

  // Compares the version now, whatever the time since the last check:
  // for a process that has just written through the store itself.
  void refresh();

 private:
  struct Snapshot {
    std::int64_t version = 0;
    std::map<std::string, Publisher, std::less<>> by_key;
    std::map<std::string, std::string, std::less<>> key_by_origin;
  };
  // The snapshot to answer from, after a check if one is due.
  std::shared_ptr<const Snapshot> current() const;
  // Throws what the store throws.
  void check() const;

  PublisherStore& store_;
  const std::chrono::steady_clock::duration interval_;
  const SteadyClock clock_;
  // steady_clock ticks of the next due check; the lookup that moves it
  // forward is the one that checks, the others answer from the snapshot.
  mutable std::atomic<std::chrono::steady_clock::rep> next_check_;
  mutable std::mutex check_mutex_;  // one check at a time
  mutable std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
  mutable std::atomic<bool> failing_{false};  // the last check failed (log once)
};

// `frame-ancestors` source list for a publisher; `'none'` without one.
std::string frame_ancestors(const std::optional<Publisher>& publisher);

// Why a publisher key is refused, or empty: 1..64 of [a-z0-9-].
std::string publisher_key_violation(std::string_view key);

// Why a display name is refused, or empty: 1..100 characters of UTF-8
// text, no control characters, not only spaces.
std::string publisher_name_violation(std::string_view name);

}  // namespace stork
