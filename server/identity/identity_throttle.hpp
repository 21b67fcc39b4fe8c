#pragma once
// Limits on identity sign-in attempts that fail, per client address and
// per publisher, in the ThrottleStore the password limits use (so every
// process on the store shares the counts, and purging forgets them).
//
// A failure is any refused token: forged, tampered, replayed, expired,
// for another audience or origin. A guesser needs many of them (an ES256
// key cannot be guessed; an HS256 secret is 256 random bits), but a
// replay or forgery flood still costs a key lookup, a signature check and
// a store write each, and says nothing good about its sender.
//
// Address: 20 failures, none more than 10 minutes after the previous one,
// block it for 10 minutes (IPv6 per /64, as for passwords). Publisher: the
// one whose key the token names (its header's kid), 1000 failures so
// counted block that publisher's identity sign-ins for 60 seconds. The
// publisher limit is deliberately loose and short: anyone can send tokens
// naming a publisher's kid, so a tight one would let a few addresses keep
// a publisher's readers out; it bounds the total rate at which one
// publisher's keys can be tried. A token naming no known kid counts
// against its address only. A success clears neither count.
//
// As for passwords, an attempt is admitted (counted in flight) before it is
// verified and settled after, so a burst of parallel forgeries gets no more
// tries than a sequence.

#include "accounts/throttle_store.hpp"
#include "clock.hpp"
#include "storage/unit_of_work.hpp"

#include <cstdint>
#include <string>

namespace stork {

struct IdentityThrottleRules {
  std::int64_t address_failures_to_block = 20;
  std::int64_t address_window_seconds = 600;
  std::int64_t address_block_seconds = 600;
  std::int64_t publisher_failures_to_block = 1000;
  std::int64_t publisher_window_seconds = 600;
  std::int64_t publisher_block_seconds = 60;
  // An admission whose process died before settling stops counting then.
  std::int64_t in_flight_stale_seconds = 30;
};

// The entries one identity attempt counts against.
struct IdentityAttemptKeys {
  std::string address;    // "identity-ip:198.51.100.7"
  std::string publisher;  // "identity-publisher:acme", empty when the token names no known key

  static IdentityAttemptKeys of(const std::string& client_address, const std::string& publisher);
};

class IdentityThrottle {
 public:
  IdentityThrottle(ThrottleStore& store, UnitOfWork& unit, IdentityThrottleRules rules = {})
      : store_(store), unit_(unit), rules_(rules) {}

  // 0 when admitted (then settle it), else the seconds to wait.
  std::int64_t admit(const IdentityAttemptKeys& keys, UnixSeconds now);
  void settle(const IdentityAttemptKeys& keys, bool failed, UnixSeconds now);

  const IdentityThrottleRules& rules() const { return rules_; }

 private:
  ThrottleStore& store_;
  UnitOfWork& unit_;
  IdentityThrottleRules rules_;
};

}  // namespace stork
