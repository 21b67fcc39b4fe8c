#pragma once
// Checking a username and password: throttling, constant-cost
// verification, bounded hashing concurrency, transparent re-hashing.

#include "accounts/accounts.hpp"
#include "accounts/login_throttle.hpp"

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

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::invalid_credentials;
  std::optional<User> user;
  std::int64_t retry_after_seconds = 0;
};

class LoginService {
 public:
  LoginService(Accounts& accounts, LoginThrottle& throttle, Argon2Params params,
               std::ptrdiff_t hashing_slots);

  LoginResult attempt(const std::string& username, const std::string& password,
                      const std::string& client_address, UnixSeconds now);

  // Verifies a password under the same hashing bound (for password changes).
  // nullopt: no hashing slot came free in time.
  std::optional<bool> verify(std::int64_t user_id, const std::string& password);

  // Hashes a new password under the same bound; nullopt when busy.
  std::optional<std::string> hash(const std::string& password);

  const Argon2Params& params() const { return params_; }

 private:
  Accounts& accounts_;
  LoginThrottle& throttle_;
  Argon2Params params_;
  HashingSlots slots_;
  // Accounts with an attempt being verified right now. A second attempt on
  // the same account waits for the first, so concurrent guesses cannot all
  // pass the throttle check before the first failure is recorded.
  std::mutex in_flight_mutex_;
  std::condition_variable in_flight_done_;
  std::set<std::string, std::less<>> in_flight_;  // accounts being verified now
  // Unknown users are verified against this, so both answers cost one hash.
  std::string dummy_hash_;
};

}  // namespace stork
