#include "accounts/password_reset.hpp"

#include "sessions/token.hpp"

namespace stork {

IssuedResetLink PasswordReset::issue(const User& user, UnixSeconds now) {
  IssuedResetLink link{new_session_token(), now + kResetLinkSeconds};
  links_.put(user.id, hash_token(link.token), now, link.expires_at);
  return link;
}

std::optional<User> PasswordReset::user_of(const std::string& token, UnixSeconds now) {
  if (!is_well_formed_token(token)) return std::nullopt;
  const auto user_id = links_.user_of(hash_token(token), now);
  if (!user_id) return std::nullopt;
  return accounts_.find(*user_id);
}

ResetResult PasswordReset::reset(const std::string& token, const std::string& new_password,
                                 UnixSeconds now) {
  ResetResult result;
  const auto user = user_of(token, now);
  if (!user) return result;
  if (auto why = password_policy_violation(new_password, user->username); !why.empty()) {
    result.outcome = ResetOutcome::weak_password;
    result.message = std::move(why);
    return result;
  }
  const auto hash = hashing_.hash(new_password);
  if (!hash) {
    result.outcome = ResetOutcome::busy;
    return result;
  }
  // Checked again inside the transaction: the link may have been used or
  // replaced while the password was being hashed.
  if (!links_.redeem(hash_token(token), *hash, now)) return result;
  result.outcome = ResetOutcome::done;
  return result;
}

std::string reset_link_url(const std::string& public_origin, const std::string& token) {
  return public_origin + "/reset#token=" + token;
}

}  // namespace stork
