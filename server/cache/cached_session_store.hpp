#pragma once
// A SessionStore that answers find() from memory while nothing has ended
// the session or changed its user since it was read (cache/invalidations.hpp),
// and passes everything else to the store it wraps. Only sessions that
// exist are kept: a session started through another process is found at
// once. Expiry stays the policy's decision on every lookup, on the
// returned times; a touch through this process updates the kept copy.

#include "cache/cache_map.hpp"
#include "cache/read_cache.hpp"
#include "sessions/session_store.hpp"

namespace stork {

class CachedSessionStore final : public SessionStore {
 public:
  CachedSessionStore(SessionStore& store, ReadCache& cache)
      : store_(store), cache_(cache), entries_(cache.options().sessions) {}

  void insert(const std::string& token_hash, const Session& session) override {
    store_.insert(token_hash, session);
  }
  std::optional<Session> find(const std::string& token_hash) override;
  void touch(const std::string& token_hash, UnixSeconds now) override;
  bool remove(const std::string& token_hash) override;
  bool remove_by_public_id(std::int64_t user_id, const std::string& public_id) override;
  std::size_t remove_all_of_user(std::int64_t user_id, const std::string& keep_token_hash) override;
  std::vector<Session> list_of_user(std::int64_t user_id) override {
    return store_.list_of_user(user_id);
  }
  std::vector<std::string> token_hashes_of_user_oldest_first(std::int64_t user_id) override {
    return store_.token_hashes_of_user_oldest_first(user_id);
  }
  // Purged sessions are expired ones, which the policy refuses anyway.
  std::size_t purge_expired(UnixSeconds now, std::int64_t idle_seconds) override {
    return store_.purge_expired(now, idle_seconds);
  }
  std::size_t count_live(UnixSeconds now, std::int64_t idle_seconds) override {
    return store_.count_live(now, idle_seconds);
  }

 private:
  SessionStore& store_;
  ReadCache& cache_;
  CacheMap<std::string, Session> entries_;
};

}  // namespace stork
