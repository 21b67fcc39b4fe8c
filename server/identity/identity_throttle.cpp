#include "identity/identity_throttle.hpp"

#include "accounts/login_throttle.hpp"

#include <algorithm>
#include <vector>

namespace stork {
namespace {

struct Limit {
  std::string key;
  std::int64_t failures_to_block;
  std::int64_t window_seconds;
  std::int64_t block_seconds;
};

std::vector<Limit> limits_of(const IdentityAttemptKeys& keys, const IdentityThrottleRules& r) {
  std::vector<Limit> out{{keys.address, r.address_failures_to_block, r.address_window_seconds,
                          r.address_block_seconds}};
  if (!keys.publisher.empty()) {
    out.push_back({keys.publisher, r.publisher_failures_to_block, r.publisher_window_seconds,
                   r.publisher_block_seconds});
  }
  return out;
}

std::int64_t live_in_flight(const ThrottleEntry& e, UnixSeconds now, const IdentityThrottleRules& r) {
  return now - e.last_admitted < r.in_flight_stale_seconds ? e.in_flight : 0;
}

std::int64_t recent_failures(const ThrottleEntry& e, const Limit& limit, UnixSeconds now) {
  return now - e.last_failure > limit.window_seconds ? 0 : e.failures;
}

// Attempts in flight count as the failures they may turn out to be.
std::int64_t wait_for(const ThrottleEntry& e, const Limit& limit, UnixSeconds now,
                      const IdentityThrottleRules& r) {
  if (e.blocked_until > now) return e.blocked_until - now;
  return recent_failures(e, limit, now) + live_in_flight(e, now, r) >= limit.failures_to_block ? 1 : 0;
}

}  // namespace

IdentityAttemptKeys IdentityAttemptKeys::of(const std::string& client_address, const std::string& publisher) {
  // address_key gives "ip:..." with IPv6 cut to its /64.
  return {"identity-" + address_key(client_address),
          publisher.empty() ? std::string() : "identity-publisher:" + publisher};
}

std::int64_t IdentityThrottle::admit(const IdentityAttemptKeys& keys, UnixSeconds now) {
  std::int64_t wait = 0;
  unit_.run([&] {
    wait = 0;
    const std::vector<Limit> limits = limits_of(keys, rules_);
    std::vector<ThrottleEntry> entries;
    for (const Limit& l : limits) entries.push_back(store_.lock(l.key));
    for (std::size_t i = 0; i < limits.size(); ++i) {
      wait = std::max(wait, wait_for(entries[i], limits[i], now, rules_));
    }
    if (wait > 0) return;
    for (std::size_t i = 0; i < limits.size(); ++i) {
      ThrottleEntry e = entries[i];
      e.in_flight = live_in_flight(e, now, rules_) + 1;
      e.last_admitted = now;
      store_.save(limits[i].key, e);
    }
  });
  return wait;
}

void IdentityThrottle::settle(const IdentityAttemptKeys& keys, bool failed, UnixSeconds now) {
  unit_.run([&] {
    for (const Limit& l : limits_of(keys, rules_)) {
      ThrottleEntry e = store_.lock(l.key);
      e.in_flight = std::max<std::int64_t>(live_in_flight(e, now, rules_) - 1, 0);
      if (failed) {
        e.failures = recent_failures(e, l, now) + 1;
        e.last_failure = now;
        if (e.failures >= l.failures_to_block) {
          e.blocked_until = now + l.block_seconds;
          e.failures = 0;
        }
      }
      store_.save(l.key, e);
    }
  });
}

}  // namespace stork
