#pragma once
// Where sessions live. Handlers and the session service talk only to this
// interface; SQLite is one backend, a store shared by several Stork
// instances would be another. Every backend must pass
// tests/unit/session_store_contract.hpp.

#include "sessions/session.hpp"

#include <optional>
#include <string>
#include <vector>

namespace stork {

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // Adds a session under the hash of its token.
  virtual void insert(const std::string& token_hash, const Session& session) = 0;

  // The session stored under this hash, live or not: expiry is the
  // policy's decision, not the store's.
  virtual std::optional<Session> find(const std::string& token_hash) = 0;

  // Records activity: sets last_seen_at.
  virtual void touch(const std::string& token_hash, UnixSeconds now) = 0;

  // Returns whether a session was removed.
  virtual bool remove(const std::string& token_hash) = 0;
  virtual bool remove_by_public_id(std::int64_t user_id, const std::string& public_id) = 0;

  // Ends every session of the user except the one under keep_token_hash
  // (empty: ends all). Returns how many ended.
  virtual std::size_t remove_all_of_user(std::int64_t user_id,
                                         const std::string& keep_token_hash = {}) = 0;

  // The user's sessions, newest first.
  virtual std::vector<Session> list_of_user(std::int64_t user_id) = 0;

  // Token hashes of the user's sessions, oldest first (to enforce a cap).
  virtual std::vector<std::string> token_hashes_of_user_oldest_first(std::int64_t user_id) = 0;

  // Removes sessions past their absolute expiry or idle longer than
  // idle_seconds. Returns how many.
  virtual std::size_t purge_expired(UnixSeconds now, std::int64_t idle_seconds) = 0;

  // Sessions that are not expired at `now`.
  virtual std::size_t count_live(UnixSeconds now, std::int64_t idle_seconds) = 0;
};

}  // namespace stork
