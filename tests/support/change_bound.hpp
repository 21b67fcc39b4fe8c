#pragma once
// How long a change committed through one process (another `stork serve`,
// a `stork` command) may take to show on a server: servers keep a read
// cache, dropped by their backend's change feed (SQLite: polled every
// 10 ms; PostgreSQL: LISTEN/NOTIFY). Far below the cache's own age limit,
// so a test that waits for a change within this bound proves the feed.

#include <chrono>
#include <functional>
#include <optional>
#include <thread>

namespace stork::test {

inline constexpr std::chrono::milliseconds kChangeBound{1000};

// Asks check until it holds, for at most kChangeBound after the first ask:
// how long it took, or nullopt if it never held.
inline std::optional<std::chrono::microseconds> within_change_bound(const std::function<bool()>& check) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    const bool ok = check();
    const auto waited = std::chrono::steady_clock::now() - start;
    if (ok) return std::chrono::duration_cast<std::chrono::microseconds>(waited);
    if (waited > kChangeBound) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace stork::test
