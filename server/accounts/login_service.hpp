#pragma once
// Checking a username and password: throttling, constant-cost
// verification, bounded hashing concurrency, transparent re-hashing.

#include "accounts/accounts.hpp"
#include "accounts/login_throttle.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <mutex>
#include <semaphore>
#include <set>
#include <string>

namespace stork {

// Each argon2id computation holds its whole memory cost (19 MiB) while it
// runs; a flood of logins must queue here instead of exhausting memory.
class HashingSlots {
 public:
  explicit HashingSlots(std::ptrdiff_t slots) : semaphore_(slots) {}
  // Waits up to `patience` for a slot; false when none came free.
  bool acquire(std::chrono::milliseconds patience) { return semaphore_.try_acquire_for(patience); }
  void release() { semaphore_.release(); }

 private:
  std::counting_semaphore<1024> semaphore_;
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
  // the same account waits its turn (429), so concurrent guesses cannot all
  // pass the throttle check before the first failure is recorded.
  std::mutex in_flight_mutex_;
  std::set<std::string, std::less<>> in_flight_;
  // Unknown users are verified against this, so both answers cost one hash.
  std::string dummy_hash_;
};

}  // namespace stork
