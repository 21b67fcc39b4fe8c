#pragma once
// The answer to every successful sign-in (password login, publisher
// identity, sign-up): one place decides which session starts and what the
// client gets, so the three cannot drift apart.
//
//   cookies               always, unless the sign-in is kept by a refresh token
//   body.user, body.csrf  always
//   body.token            with `cookieless` (sent back as a bearer token)
//   body.refresh          with `cookieless` and `remember`: the sign-in is kept
//                         in the frame's storage (see sessions/refresh_tokens.hpp),
//   body.expires_in       and its access token is good for this many seconds

#include "accounts/account_store.hpp"
#include "http/routing.hpp"

#include <string>

namespace stork {

struct SignInOptions {
  bool remember = false;
  bool cookieless = false;
  std::string publisher;   // the widget's publisher key, as it told us
  std::string top_origin;  // the top-level page's origin, as it told us
};

nlohmann::json user_json(const User& user);

// {"publisher": key, "name": the publisher's display name (its key until
// it has one)} for an account that publisher vouches for.
nlohmann::json asserted_by_json(const App& app, const std::string& publisher);

// Ends whatever session the request presented (no session fixation),
// starts the new one through SignInService::sign_in, and writes the
// response with `status`. When the user's credentials changed since they
// were checked, answers 401 invalid_credentials instead.
void respond_signed_in(Call& call, const User& user, const SignInOptions& options,
                       int status = 200);

}  // namespace stork
