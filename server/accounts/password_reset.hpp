#pragma once
// Password reset without e-mail: an operator issues a one-time link
// (`stork user reset-link`), hands it to the visitor by whatever channel
// they trust, and the visitor sets a new password on Stork's own page.
// A link is valid 30 minutes, works once, and only the newest one of a
// user works; using it ends every session of the user.

#include "accounts/account_store.hpp"
#include "accounts/login_service.hpp"
#include "accounts/reset_link_store.hpp"

#include <optional>
#include <string>

namespace stork {

inline constexpr std::int64_t kResetLinkSeconds = 30 * 60;

struct IssuedResetLink {
  std::string token;  // goes into the URL once, never stored
  UnixSeconds expires_at = 0;
};

enum class ResetOutcome { done, invalid_link, weak_password, busy };

struct ResetResult {
  ResetOutcome outcome = ResetOutcome::invalid_link;
  std::string message;  // weak_password: why
};

class PasswordReset {
 public:
  PasswordReset(AccountStore& accounts, ResetLinkStore& links, LoginService& hashing)
      : accounts_(accounts), links_(links), hashing_(hashing) {}

  IssuedResetLink issue(const User& user, UnixSeconds now);

  // The account a live link is for (to greet the visitor by name).
  std::optional<User> user_of(const std::string& token, UnixSeconds now);

  // A weak password leaves the link usable: the visitor may try another.
  ResetResult reset(const std::string& token, const std::string& new_password, UnixSeconds now);

 private:
  AccountStore& accounts_;
  ResetLinkStore& links_;
  LoginService& hashing_;
};

// The first-party page a link opens. The token travels in the fragment,
// which browsers send to no server: it stays out of access logs, proxies
// and Referer headers.
std::string reset_link_url(const std::string& public_origin, const std::string& token);

}  // namespace stork
