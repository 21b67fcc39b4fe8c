#pragma once
// Where the guess limits keep their counts, shared by every process on the
// store so that N processes do not give N times the guesses. The policy
// (server/accounts/login_throttle.*) is backend-free; a store only keeps
// entries and lets one admission at a time read-modify-write an entry.
// Every backend passes tests/unit/throttle_store_contract.hpp.

#include "clock.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace stork {

// The state under one key: an account ("user:NAME"), a client address or
// IPv6 /64 ("ip:..."), or a trusted device ("device:HASH").
struct ThrottleEntry {
  std::int64_t failures = 0;
  UnixSeconds last_failure = 0;
  UnixSeconds blocked_until = 0;
  // Attempts admitted and not yet settled (their password is being
  // verified): counted as failures until they settle, so a burst of
  // concurrent guesses cannot all pass the check before the first failure
  // is recorded.
  std::int64_t in_flight = 0;
  UnixSeconds last_admitted = 0;

  bool operator==(const ThrottleEntry&) const = default;
};

class ThrottleStore {
 public:
  virtual ~ThrottleStore() = default;

  // Inside a UnitOfWork: the entry under key (all zero when there is none),
  // locked until the unit commits, so that concurrent admissions on one key
  // take turns, in every process.
  virtual ThrottleEntry lock(const std::string& key) = 0;
  // Stores the entry under key (insert or replace).
  virtual void save(const std::string& key, const ThrottleEntry& entry) = 0;
  virtual void remove(const std::string& key) = 0;

  // Forgets entries that block no more, have nothing in flight since
  // `stale_before`, and whose last failure is older than `forget_before`.
  virtual std::size_t purge(UnixSeconds now, UnixSeconds forget_before,
                            UnixSeconds stale_before) = 0;

  // Trusted devices (OWASP "device cookies"): a browser that signed in to
  // the user's account holds a random token; the store keeps its hash.
  virtual void trust_device(const std::string& token_hash, std::int64_t user_id,
                            UnixSeconds now) = 0;
  // The user a device token was issued to, if it is still trusted.
  virtual std::optional<std::int64_t> trusted_device_user(const std::string& token_hash) = 0;
  virtual void distrust_device(const std::string& token_hash) = 0;
  // Forgets device tokens issued before `issued_before`.
  virtual std::size_t purge_devices(UnixSeconds issued_before) = 0;
};

}  // namespace stork
