#pragma once
// Sign-ins kept in partitioned storage (WebKit with ITP keeps no cookie in
// a third-party frame, but keeps its localStorage): the frame stores a
// refresh token and trades it for a short-lived access token at each page
// view. What script-readable storage holds must be safe to hold there:
//   - the refresh token is rotated at every use;
//   - presenting a spent one again (a copy was taken) ends the sign-in;
//   - the access token (a session token) dies after a few minutes;
//   - the session's idle and absolute timeouts, logout and password
//     change apply exactly as to a cookie session.

#include "sessions/refresh_token_store.hpp"
#include "sessions/session_service.hpp"

#include <optional>
#include <string>

namespace stork {

struct KeptSignIn {
  StartedSession session;  // token: the short-lived access token
  std::string refresh;     // goes to the client once, stored only hashed
};

enum class RefreshOutcome {
  ok,
  invalid,  // unknown, malformed or purged token
  reused,   // a spent token came back: the sign-in has been ended
  ended,    // the session ended or expired (logout, password change, timeouts)
};

struct RefreshResult {
  RefreshOutcome outcome = RefreshOutcome::invalid;
  std::optional<KeptSignIn> kept;  // set when ok
};

class RefreshTokens {
 public:
  RefreshTokens(RefreshTokenStore& store, SessionService& sessions)
      : store_(store), sessions_(sessions) {}

  // Starts a kept sign-in: a session with a short-lived token, and the
  // first refresh token of its family. Login, identity and sign-up call it
  // when asked for `cookieless` and `remember` together.
  KeptSignIn start(std::int64_t user_id, const SessionOrigin& origin, UnixSeconds now);

  // The rotation: a new access token and refresh token for a current
  // refresh token; the presented one is spent.
  RefreshResult refresh(const std::string& presented, UnixSeconds now);

  // Forgets the refresh tokens of a session (logout, ending it from the
  // session list), or of every session of a user: the sessions' own end
  // already makes them useless; this keeps the store small.
  void forget(const std::string& session_public_id);
  void forget_all_of_user(std::int64_t user_id);

  // Drops tokens no session can outlive.
  std::size_t purge(UnixSeconds now);

 private:
  void end_family(const RefreshRecord& record);

  RefreshTokenStore& store_;
  SessionService& sessions_;
};

}  // namespace stork
