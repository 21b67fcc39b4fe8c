#include "accounts/login_throttle.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace stork {
namespace {

enum class Kind { account, address, device };

struct Keyed {
  Kind kind;
  std::string key;
};

std::vector<Keyed> keys_of(const AttemptKeys& keys) {
  if (keys.trusted_device()) return {{Kind::device, keys.device}};
  return {{Kind::account, keys.account}, {Kind::address, keys.address}};
}

std::int64_t live_in_flight(const ThrottleEntry& e, UnixSeconds now, const ThrottleRules& r) {
  return now - e.last_admitted < r.in_flight_stale_seconds ? e.in_flight : 0;
}

// Seconds this entry makes a new attempt wait, counting attempts in flight
// as the failures they may turn out to be. 0: it may go ahead.
std::int64_t wait_for(Kind kind, const ThrottleEntry& e, UnixSeconds now, const ThrottleRules& r) {
  if (e.blocked_until > now) return e.blocked_until - now;
  const std::int64_t pending = live_in_flight(e, now, r);
  if (pending == 0) return 0;
  switch (kind) {
    case Kind::account:
    case Kind::device:
      return 1;  // one attempt at a time: the one in flight decides the back-off
    case Kind::address: {
      const std::int64_t failures = now - e.last_failure > r.memory_seconds ? 0 : e.failures;
      return failures + pending >= r.address_failures_to_block ? 1 : 0;
    }
  }
  return 0;
}

ThrottleEntry after_failure(Kind kind, ThrottleEntry e, UnixSeconds now, const ThrottleRules& r) {
  if (now - e.last_failure > r.memory_seconds) e.failures = 0;
  e.failures += 1;
  e.last_failure = now;
  switch (kind) {
    case Kind::account: {
      const std::int64_t shift = std::min<std::int64_t>(e.failures - 1, 20);
      e.blocked_until = now + std::min<std::int64_t>(std::int64_t{1} << shift,
                                                     r.account_max_delay_seconds);
      break;
    }
    case Kind::address:
      if (e.failures >= r.address_failures_to_block) {
        e.blocked_until = now + r.address_block_seconds;
        e.failures = 0;
      }
      break;
    case Kind::device:
      if (e.failures >= r.device_failures_to_block) {
        e.blocked_until = now + r.device_block_seconds;
        e.failures = 0;
      }
      break;
  }
  return e;
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

std::string account_key(const std::string& username) { return "user:" + lowercase(username); }

std::string address_key(const std::string& client_address) {
  std::array<unsigned char, 16> v6{};
  if (inet_pton(AF_INET6, client_address.c_str(), v6.data()) == 1) {
    const bool v4_mapped = std::all_of(v6.begin(), v6.begin() + 10, [](auto b) { return b == 0; }) &&
                           v6[10] == 0xff && v6[11] == 0xff;
    if (!v4_mapped) {
      std::fill(v6.begin() + 8, v6.end(), 0);
      char text[INET6_ADDRSTRLEN] = {};
      inet_ntop(AF_INET6, v6.data(), text, sizeof text);
      return "ip:" + std::string(text) + "/64";
    }
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, v6.data() + 12, text, sizeof text);
    return "ip:" + std::string(text);
  }
  return "ip:" + client_address;
}

Admission LoginThrottle::admit(const AttemptKeys& keys, UnixSeconds now) {
  Admission out;
  unit_.run([&] {
    out = {};
    const std::vector<Keyed> keyed = keys_of(keys);
    std::vector<ThrottleEntry> entries;
    for (const Keyed& k : keyed) entries.push_back(store_.lock(k.key));
    for (std::size_t i = 0; i < keyed.size(); ++i) {
      out.retry_after_seconds =
          std::max(out.retry_after_seconds, wait_for(keyed[i].kind, entries[i], now, rules_));
    }
    if (out.retry_after_seconds > 0) return;
    for (std::size_t i = 0; i < keyed.size(); ++i) {
      ThrottleEntry e = entries[i];
      e.in_flight = live_in_flight(e, now, rules_) + 1;
      e.last_admitted = now;
      store_.save(keyed[i].key, e);
    }
    out.admitted = true;
  });
  return out;
}

void LoginThrottle::settle(const AttemptKeys& keys, Settlement how, UnixSeconds now) {
  unit_.run([&] {
    for (const Keyed& k : keys_of(keys)) {
      ThrottleEntry e = store_.lock(k.key);
      e.in_flight = std::max<std::int64_t>(live_in_flight(e, now, rules_) - 1, 0);
      if (how == Settlement::failed) {
        e = after_failure(k.kind, e, now, rules_);
      } else if (how == Settlement::succeeded && k.kind != Kind::address) {
        e.failures = 0;
        e.blocked_until = 0;
      }
      store_.save(k.key, e);
    }
  });
}

void LoginThrottle::record_failure(const std::string& username, const std::string& address,
                                   UnixSeconds now) {
  const AttemptKeys keys{account_key(username), address_key(address), {}};
  unit_.run([&] {
    for (const Keyed& k : keys_of(keys)) {
      store_.save(k.key, after_failure(k.kind, store_.lock(k.key), now, rules_));
    }
  });
}

void LoginThrottle::record_success(const std::string& username) {
  unit_.run([&] { store_.remove(account_key(username)); });
}

std::int64_t LoginThrottle::wait_seconds(const std::string& username, const std::string& address,
                                         UnixSeconds now) {
  const AttemptKeys keys{account_key(username), address_key(address), {}};
  std::int64_t wait = 0;
  unit_.run([&] {
    wait = 0;
    for (const Keyed& k : keys_of(keys)) {
      wait = std::max(wait, wait_for(k.kind, store_.lock(k.key), now, rules_));
    }
  });
  return wait;
}

std::size_t LoginThrottle::purge(UnixSeconds now) {
  std::size_t purged = 0;
  unit_.run([&] {
    purged = store_.purge(now, now - rules_.memory_seconds, now - rules_.in_flight_stale_seconds);
  });
  return purged;
}

}  // namespace stork
