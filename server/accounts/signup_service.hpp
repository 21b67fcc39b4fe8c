#pragma once
// The sign-up use case: a visitor creates their own account. Starting the
// session afterwards is the caller's, through the same path as a login.

#include "accounts/account_store.hpp"
#include "accounts/login_service.hpp"
#include "accounts/signup_policy.hpp"
#include "accounts/signup_throttle_store.hpp"

#include <optional>
#include <string>

namespace stork {

struct NewAccount {
  std::string username;
  std::string password;
  std::string first;
  std::string last;
};

enum class SignupOutcome { created, invalid_field, username_taken, throttled, busy };

struct SignupResult {
  SignupOutcome outcome = SignupOutcome::invalid_field;
  std::string field;    // invalid_field: which one ("username", "password", "first", "last")
  std::string message;  // invalid_field: why, in words for the visitor
  std::optional<User> user;  // created
  std::int64_t retry_after_seconds = 0;  // throttled, busy
};

class SignupService {
 public:
  SignupService(AccountStore& accounts, SignupThrottleStore& throttle, LoginService& hashing,
                SignupRules rules = {})
      : accounts_(accounts), throttle_(throttle), hashing_(hashing), rules_(rules) {}

  // Every attempt counts against the address, whatever its outcome: a
  // flood of sign-ups and a scan for taken usernames are both bounded.
  SignupResult sign_up(const NewAccount& account, const std::string& client_address,
                       UnixSeconds now);

  const SignupRules& rules() const { return rules_; }

 private:
  AccountStore& accounts_;
  SignupThrottleStore& throttle_;
  LoginService& hashing_;  // its bounded argon2id queue
  SignupRules rules_;
};

}  // namespace stork
