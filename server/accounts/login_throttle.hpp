#pragma once
// Back-off against password guessing, per account and per client address.
//
// Account: after the n-th consecutive failure the account waits
// 2^(n-1) seconds, capped at 5 minutes; failures older than an hour are
// forgotten. So a guesser gets at most a few dozen tries an hour, and the
// owner is never locked out for longer than 5 minutes.
// Address: 10 failures, none more than an hour after the previous one,
// block it for 10 minutes. A success clears the account's count but not the
// address's: otherwise a guesser spraying many accounts from one address
// could reset its count by signing in to an account of its own.
// State lives in SQLite, so a restart does not reset it.

#include "clock.hpp"
#include "storage/database.hpp"

#include <cstdint>
#include <string>

namespace stork {

struct ThrottleRules {
  std::int64_t account_max_delay_seconds = 300;
  std::int64_t account_memory_seconds = 3600;
  std::int64_t address_failures_to_block = 10;
  std::int64_t address_block_seconds = 600;
};

class LoginThrottle {
 public:
  LoginThrottle(Database& db, ThrottleRules rules = {}) : db_(db), rules_(rules) {}

  // Seconds the caller must wait before trying this account from this
  // address; 0 when it may try now.
  std::int64_t wait_seconds(const std::string& username, const std::string& address,
                            UnixSeconds now);

  void record_failure(const std::string& username, const std::string& address, UnixSeconds now);
  void record_success(const std::string& username);

  // Forgets entries that no longer block and are past the memory window,
  // so guessing at unknown usernames does not grow the table for ever.
  std::size_t purge(UnixSeconds now);

  const ThrottleRules& rules() const { return rules_; }

 private:
  struct Entry {
    std::int64_t failures = 0;
    UnixSeconds last_failure = 0;
    UnixSeconds blocked_until = 0;
  };
  Entry load(const std::string& key);
  void save(const std::string& key, const Entry& e);

  Database& db_;
  ThrottleRules rules_;
};

}  // namespace stork
