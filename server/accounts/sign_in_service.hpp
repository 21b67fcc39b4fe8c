#pragma once
// Starting and ending sign-ins: the use cases every way in shares (the
// password form, sign-up, publisher-asserted identity; logout, "sign out
// everywhere", ending one session from the list).

#include "accounts/account_store.hpp"
#include "sessions/refresh_tokens.hpp"
#include "sessions/session_service.hpp"
#include "storage/unit_of_work.hpp"

#include <optional>
#include <string>
#include <vector>

namespace stork {

struct SignInRequest {
  bool remember = false;
  // Kept in partitioned storage by a refresh token (cookieless + remember):
  // the session's token is a short-lived access token.
  bool kept = false;
  SessionOrigin origin;
  // Tokens the client presented (cookies, bearer): they end, since a
  // sign-in never adopts a token it did not issue (session fixation).
  std::vector<std::string> presented_tokens;
};

struct SignedIn {
  StartedSession session;
  std::string refresh;  // kept sign-ins only
};

class SignInService {
 public:
  SignInService(UnitOfWork& unit, AccountStore& accounts, SessionService& sessions,
                RefreshTokens& refresh_tokens)
      : unit_(unit), accounts_(accounts), sessions_(sessions), refresh_tokens_(refresh_tokens) {}

  // Starts the session of `user`, as read when its credentials were
  // checked. In one unit of work with the insert, the credential version
  // is checked (and the user's row locked), so a password change, disable
  // or removal that returned before this commits wins: nullopt, and no
  // session exists.
  std::optional<SignedIn> sign_in(const User& user, const SignInRequest& request,
                                  UnixSeconds now);

  // Ends every session these tokens name, and the refresh tokens kept for them.
  void sign_out(const std::vector<std::string>& tokens);
  // Ends every session of the user, on every device.
  void sign_out_everywhere(std::int64_t user_id);
  // Ends one session of the user by its public id; false when there is none.
  bool end_session(std::int64_t user_id, const std::string& public_id);

 private:
  UnitOfWork& unit_;
  AccountStore& accounts_;
  SessionService& sessions_;
  RefreshTokens& refresh_tokens_;
};

}  // namespace stork
