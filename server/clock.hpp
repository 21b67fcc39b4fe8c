#pragma once
// Unix seconds. Domain functions take `now` as an argument instead of
// reading the clock, so expiry rules are tested without sleeping.

#include <chrono>
#include <cstdint>

namespace stork {

using UnixSeconds = std::int64_t;

inline UnixSeconds unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace stork
