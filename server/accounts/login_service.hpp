#pragma once
// Checking a username and password: throttling, constant-cost
// verification, bounded hashing concurrency, transparent re-hashing.

#include "accounts/account_store.hpp"
#include "accounts/login_throttle.hpp"
#include "accounts/password.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <optional>
#include <mutex>
#include <set>
#include <string>

namespace stork {

// Each argon2id computation holds its whole memory cost (19 MiB) while it
// runs; a flood of logins must queue here instead of exhausting memory.
// The queue is first come, first served: with a plain semaphore an unlucky
// waiter can lose every race and time out while later arrivals get through.
class HashingSlots {
 public:
  explicit HashingSlots(std::ptrdiff_t slots) : free_(slots) {}
  // Waits up to `patience` for a slot, in arrival order; false when none
  // came free in time.
  bool acquire(std::chrono::milliseconds patience);
  void release();

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  std::ptrdiff_t free_;
  std::uint64_t next_ticket_ = 0;  // handed to each arrival
  std::uint64_t serving_ = 0;      // the ticket whose turn it is
  std::set<std::uint64_t> abandoned_;  // tickets that timed out while waiting
};

enum class LoginOutcome { ok, invalid_credentials, throttled, busy };

// What the request tells about its client, for the guess limits.
struct ClientContext {
  std::string address;       // the client address Stork believes (see client_address)
  std::string device_token;  // the stork_device cookie, if any
};

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::invalid_credentials;
  std::optional<User> user;  // ok: as read before verifying (credential_version included)
  std::int64_t retry_after_seconds = 0;
  // ok and the client had no device token for this account: a new one,
  // for the stork_device cookie (sent once, stored only hashed).
  std::string new_device_token;
};

class LoginService {
 public:
  LoginService(AccountStore& accounts, LoginThrottle& throttle, Argon2Params params,
               std::ptrdiff_t hashing_slots);

  // A sign-in: throttled, one at a time per account, constant-cost for
  // unknown users, disabled accounts answered like wrong passwords.
  LoginResult attempt(const std::string& username, const std::string& password,
                      const ClientContext& client, UnixSeconds now);

  // A signed-in user re-enters the password (password change, deleting the
  // account): the same turn-taking, throttle and hashing bound as attempt,
  // so a stolen session gets no more guesses than the sign-in form.
  LoginResult reverify(const User& user, const std::string& password, const ClientContext& client,
                       UnixSeconds now);

  // Hashes a new password under the same bound; nullopt when busy.
  std::optional<std::string> hash(const std::string& password);

  const Argon2Params& params() const { return params_; }

 private:
  LoginResult check(const std::string& username, const std::optional<User>& user,
                    const std::string& password, const ClientContext& client, UnixSeconds now,
                    bool issue_device);

  AccountStore& accounts_;
  LoginThrottle& throttle_;
  Argon2Params params_;
  HashingSlots slots_;
  // Accounts with an attempt being verified in this process right now. A
  // second attempt on the same account waits here for the first (a
  // double-clicked "Sign in" succeeds twice) instead of meeting the
  // throttle's one-at-a-time rule, which holds across processes.
  std::mutex in_flight_mutex_;
  std::condition_variable in_flight_done_;
  std::set<std::string, std::less<>> in_flight_;  // account keys being verified now
  // Unknown users are verified against this, so both answers cost one hash.
  std::string dummy_hash_;
};

}  // namespace stork
