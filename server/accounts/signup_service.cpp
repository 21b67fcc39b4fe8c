#include "accounts/signup_service.hpp"

namespace stork {
namespace {

SignupResult invalid(std::string field, std::string message) {
  SignupResult r;
  r.outcome = SignupOutcome::invalid_field;
  r.field = std::move(field);
  r.message = std::move(message);
  return r;
}

}  // namespace

SignupResult SignupService::sign_up(const NewAccount& account, const std::string& client_address,
                                    UnixSeconds now) {
  const AttemptWindow window = throttle_.record_attempt(client_address, now, rules_.window_seconds);
  if (window.attempts > rules_.attempts_per_window) {
    SignupResult r;
    r.outcome = SignupOutcome::throttled;
    r.retry_after_seconds = std::max<std::int64_t>(1, window.window_ends - now);
    return r;
  }
  if (auto why = signup_username_violation(account.username); !why.empty()) {
    return invalid("username", std::move(why));
  }
  if (auto why = password_policy_violation(account.password, account.username); !why.empty()) {
    return invalid("password", std::move(why));
  }
  if (auto why = person_name_violation(account.first); !why.empty()) return invalid("first", std::move(why));
  if (auto why = person_name_violation(account.last); !why.empty()) return invalid("last", std::move(why));

  const auto hash = hashing_.hash(account.password);
  if (!hash) {
    SignupResult r;
    r.outcome = SignupOutcome::busy;
    r.retry_after_seconds = 1;
    return r;
  }
  // The unique index decides, in any letter case, even between two
  // sign-ups racing for one name.
  auto user = accounts_.add({account.username, account.first, account.last, *hash}, now);
  SignupResult r;
  if (!user) {
    r.outcome = SignupOutcome::username_taken;
    return r;
  }
  r.outcome = SignupOutcome::created;
  r.user = std::move(user);
  return r;
}

}  // namespace stork
