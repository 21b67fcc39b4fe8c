#pragma once
// Unix seconds. Domain functions take `now` as an argument instead of
// reading the clock, and the server reads it through a Clock that the
// composition root injects, so expiry rules are tested by moving a clock,
// not by sleeping or editing rows.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace stork {

using UnixSeconds = std::int64_t;

inline UnixSeconds unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixSeconds now() const = 0;
};

class SystemClock final : public Clock {
 public:
  UnixSeconds now() const override { return unix_now(); }
};

// A clock a test sets and moves; safe to read from the server's threads.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UnixSeconds start = unix_now()) : now_(start) {}
  UnixSeconds now() const override { return now_.load(); }
  void set(UnixSeconds t) { now_.store(t); }
  void advance(std::int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<UnixSeconds> now_;
};

}  // namespace stork
