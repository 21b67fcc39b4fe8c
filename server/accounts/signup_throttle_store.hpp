#pragma once
// Where sign-up attempts per client address are counted. Every backend
// passes tests/unit/signup_throttle_store_contract.hpp.

#include "clock.hpp"

#include <cstdint>
#include <string>

namespace stork {

struct AttemptWindow {
  std::int64_t attempts = 0;  // in the current window, this one included
  UnixSeconds window_ends = 0;
};

class SignupThrottleStore {
 public:
  virtual ~SignupThrottleStore() = default;

  // Counts one attempt from address at now. A window starts with the first
  // attempt after the previous window (window_seconds long) ended.
  virtual AttemptWindow record_attempt(const std::string& address, UnixSeconds now,
                                       std::int64_t window_seconds) = 0;

  // Forgets windows that ended; returns how many.
  virtual std::size_t purge(UnixSeconds now, std::int64_t window_seconds) = 0;
};

}  // namespace stork
