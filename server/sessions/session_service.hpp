#pragma once
// Starting, resolving and ending sessions: the session store plus the
// policy. No HTTP here: handlers pass in what they read from the request.

#include "sessions/session_policy.hpp"
#include "sessions/session_store.hpp"

#include <optional>
#include <string>

namespace stork {

struct SessionOrigin {
  std::string user_agent;
  std::string publisher;
  std::string top_site;
};

struct StartedSession {
  std::string token;  // goes to the client once, never stored
  Session session;
};

struct ResolvedSession {
  std::string token;
  std::string token_hash;
  Session session;
};

class SessionService {
 public:
  SessionService(SessionStore& store, SessionPolicy policy) : store_(store), policy_(policy) {}

  // Starts a new session for the user with a fresh token. If the client
  // presented a session (previous_token), it ends: a token is never
  // carried across a login (no session fixation).
  StartedSession start(std::int64_t user_id, bool remember, const SessionOrigin& origin,
                       UnixSeconds now, const std::string& previous_token = {});

  // Like start with remember, for a sign-in kept by a refresh token in
  // script-readable storage: the token is a short-lived access token
  // (policy.access_token_seconds); RefreshTokens hands out the next one.
  StartedSession start_kept(std::int64_t user_id, const SessionOrigin& origin, UnixSeconds now);

  // A new access token for the user's session with this public id, the old
  // token ending at once. nullopt when that session ended or expired.
  std::optional<StartedSession> reissue(std::int64_t user_id, const std::string& public_id,
                                        UnixSeconds now);

  // The live session for a token, touching it if due. An unknown, malformed
  // or expired token gives nullopt (an expired one is also removed).
  std::optional<ResolvedSession> resolve(const std::string& token, UnixSeconds now);

  // Ends the session of this token. Returns whether one existed.
  bool end(const std::string& token);

  // A new token for the same session facts (after a password change).
  StartedSession rotate(const ResolvedSession& current, UnixSeconds now);

  SessionStore& store() { return store_; }
  const SessionPolicy& policy() const { return policy_; }

 private:
  StartedSession begin(std::int64_t user_id, bool remember, bool kept, const SessionOrigin& origin,
                       UnixSeconds now, const std::string& previous_token);
  void enforce_cap(std::int64_t user_id, const std::string& newest_hash);

  SessionStore& store_;
  SessionPolicy policy_;
};

}  // namespace stork
