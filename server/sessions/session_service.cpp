#include "sessions/session_service.hpp"

#include "sessions/token.hpp"

namespace stork {
namespace {

// Bound what a client can make us store.
std::string clipped(const std::string& s, std::size_t max) {
  return s.size() <= max ? s : s.substr(0, max);
}

}  // namespace

StartedSession SessionService::start(std::int64_t user_id, bool remember,
                                     const SessionOrigin& origin, UnixSeconds now,
                                     const std::string& previous_token) {
  return begin(user_id, remember, false, origin, now, previous_token);
}

StartedSession SessionService::start_kept(std::int64_t user_id, const SessionOrigin& origin,
                                          UnixSeconds now) {
  return begin(user_id, true, true, origin, now, {});
}

StartedSession SessionService::begin(std::int64_t user_id, bool remember, bool kept,
                                     const SessionOrigin& origin, UnixSeconds now,
                                     const std::string& previous_token) {
  if (!previous_token.empty() && is_well_formed_token(previous_token)) {
    store_.remove(hash_token(previous_token));
  }
  StartedSession started;
  started.token = new_session_token();
  Session& s = started.session;
  s.public_id = new_public_id();
  s.user_id = user_id;
  s.created_at = now;
  s.last_seen_at = now;
  s.absolute_expires_at = policy_.absolute_expiry(now, remember);
  s.remember = remember;
  s.user_agent = clipped(origin.user_agent, 256);
  s.publisher = clipped(origin.publisher, 64);
  s.top_site = clipped(origin.top_site, 256);
  if (kept) s.token_expires_at = policy_.access_token_expiry(s, now);
  const std::string token_hash = hash_token(started.token);
  store_.insert(token_hash, s);
  enforce_cap(user_id, token_hash);
  return started;
}

std::optional<ResolvedSession> SessionService::resolve(const std::string& token, UnixSeconds now) {
  if (!is_well_formed_token(token)) return std::nullopt;
  std::string token_hash = hash_token(token);
  std::optional<Session> found = store_.find(token_hash);
  if (!found) return std::nullopt;
  if (!policy_.is_live(*found, now)) {
    store_.remove(token_hash);
    return std::nullopt;
  }
  if (!policy_.token_is_live(*found, now)) return std::nullopt;
  if (policy_.needs_touch(*found, now)) {
    store_.touch(token_hash, now);
    found->last_seen_at = now;
  }
  return ResolvedSession{token, std::move(token_hash), std::move(*found)};
}

bool SessionService::end(const std::string& token) {
  if (!is_well_formed_token(token)) return false;
  return store_.remove(hash_token(token));
}

StartedSession SessionService::rotate(const ResolvedSession& current, UnixSeconds now) {
  StartedSession started;
  started.token = new_session_token();
  started.session = current.session;
  started.session.last_seen_at = now;
  if (started.session.token_expires_at != 0) {
    started.session.token_expires_at = policy_.access_token_expiry(started.session, now);
  }
  // Remove first: the public id stays with the device and must stay unique.
  store_.remove(current.token_hash);
  store_.insert(hash_token(started.token), started.session);
  return started;
}

std::optional<StartedSession> SessionService::reissue(std::int64_t user_id,
                                                      const std::string& public_id,
                                                      UnixSeconds now) {
  // A user has at most max_sessions_per_user sessions: a short scan.
  std::optional<Session> found;
  for (Session& s : store_.list_of_user(user_id)) {
    if (s.public_id == public_id) found = std::move(s);
  }
  if (!found) return std::nullopt;
  if (!policy_.is_live(*found, now)) {
    store_.remove_by_public_id(user_id, public_id);
    return std::nullopt;
  }
  StartedSession started;
  started.token = new_session_token();
  started.session = std::move(*found);
  started.session.last_seen_at = now;
  started.session.token_expires_at = policy_.access_token_expiry(started.session, now);
  // Remove first: the public id stays with the device and must stay unique.
  if (!store_.remove_by_public_id(user_id, public_id)) return std::nullopt;
  store_.insert(hash_token(started.token), started.session);
  return started;
}

void SessionService::enforce_cap(std::int64_t user_id, const std::string& newest_hash) {
  const auto hashes = store_.token_hashes_of_user_oldest_first(user_id);
  if (hashes.size() <= policy_.max_sessions_per_user) return;
  std::size_t excess = hashes.size() - policy_.max_sessions_per_user;
  // Sessions started in the same second tie on age: never evict the one
  // just handed out, or a login would answer with a dead cookie.
  for (const std::string& hash : hashes) {
    if (excess == 0) break;
    if (hash == newest_hash) continue;
    store_.remove(hash);
    --excess;
  }
}

}  // namespace stork
