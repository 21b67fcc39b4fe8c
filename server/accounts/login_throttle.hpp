#pragma once
// Limits on password guessing, per account, per client address and per
// trusted device. The rules are pure values; the counts live in a
// ThrottleStore shared by every process on the store.
//
// Account: after the n-th consecutive failure the account waits
// 2^(n-1) seconds, capped at 5 minutes; failures older than an hour are
// forgotten. So a guesser gets at most a few dozen tries an hour.
// Address: 10 failures, none more than an hour after the previous one,
// block it for 10 minutes. IPv6 clients count per /64 (one subscriber's
// prefix), since a single host can take any address in it. A success
// clears the account's count but not the address's: otherwise a guesser
// spraying many accounts from one address could reset its count by
// signing in to an account of its own.
//
// Device (OWASP "device cookies"): a browser that signed in to an account
// holds a device token for it. Its attempts on that account count only
// against the device (5 failures lock that device out for 10 minutes), so
// neither a guesser elsewhere who keeps the account in back-off nor ten
// typos behind a shared address (a school, a carrier's NAT) keep the
// owner out.
//
// Concurrency: an attempt is admitted (checked and counted as in flight)
// and later settled (failure or success) in two units of work. Attempts in
// flight count as failures at admission, so a burst of parallel guesses,
// spread over any number of processes, gets no more tries than a
// sequence: at most one attempt per account or device at a time, and no
// more in flight from one address than its remaining failures. An
// admission whose process died before settling stops counting after
// `in_flight_stale_seconds`.

#include "accounts/throttle_store.hpp"
#include "clock.hpp"
#include "storage/unit_of_work.hpp"

#include <cstdint>
#include <string>

namespace stork {

struct ThrottleRules {
  std::int64_t account_max_delay_seconds = 300;
  std::int64_t memory_seconds = 3600;
  std::int64_t address_failures_to_block = 10;
  std::int64_t address_block_seconds = 600;
  std::int64_t device_failures_to_block = 5;
  std::int64_t device_block_seconds = 600;
  std::int64_t in_flight_stale_seconds = 30;
};

// "ip:198.51.100.7", or "ip:2001:db8:1:2::/64" for any address in that /64.
std::string address_key(const std::string& client_address);
// "user:alice": usernames are case-insensitive, so is their count.
std::string account_key(const std::string& username);

// The entries one attempt counts against: a trusted device alone, or the
// account and the address.
struct AttemptKeys {
  std::string account;
  std::string address;
  std::string device;  // "device:HASH" when the client holds a device token for this account

  bool trusted_device() const { return !device.empty(); }
};

// How an admitted attempt ended.
enum class Settlement {
  failed,       // wrong password (or unknown or disabled account)
  succeeded,    // the owner got in: the account's or device's back-off starts over
  not_checked,  // never verified (no hashing slot came free): counts neither way
};

struct Admission {
  bool admitted = false;
  std::int64_t retry_after_seconds = 0;  // when refused
};

class LoginThrottle {
 public:
  LoginThrottle(ThrottleStore& store, UnitOfWork& unit, ThrottleRules rules = {})
      : store_(store), unit_(unit), rules_(rules) {}

  // Checks the keys and, when none blocks, counts the attempt in flight on
  // each, atomically. An admitted attempt must be settled.
  Admission admit(const AttemptKeys& keys, UnixSeconds now);
  void settle(const AttemptKeys& keys, Settlement how, UnixSeconds now);

  // For tests and for callers with nothing in flight: admit and settle as
  // a failure at once; and the wait an attempt would meet now.
  void record_failure(const std::string& username, const std::string& address, UnixSeconds now);
  void record_success(const std::string& username);
  std::int64_t wait_seconds(const std::string& username, const std::string& address,
                            UnixSeconds now);

  // Forgets entries that no longer block and are past the memory window,
  // so guessing at unknown usernames does not grow the table for ever.
  std::size_t purge(UnixSeconds now);

  ThrottleStore& store() { return store_; }
  const ThrottleRules& rules() const { return rules_; }

 private:
  ThrottleStore& store_;
  UnitOfWork& unit_;
  ThrottleRules rules_;
};

}  // namespace stork
