#include "cache/cached_session_store.hpp"

namespace stork {

std::optional<Session> CachedSessionStore::find(const std::string& token_hash) {
  Invalidations& changes = cache_.invalidations();
  if (const auto kept = entries_.find(token_hash);
      kept && cache_.servable(kept->filled) &&
      changes.session_unchanged_since(token_hash, kept->mark) &&
      changes.user_unchanged_since(kept->value->user_id, kept->mark)) {
    cache_.count(ReadCache::Kind::session, true);
    return *kept->value;
  }
  cache_.count(ReadCache::Kind::session, false);
  const auto mark = changes.mark();
  const auto began = cache_.now();
  cache_.reaching_store();
  auto found = store_.find(token_hash);
  if (found) entries_.put(token_hash, {std::make_shared<const Session>(*found), mark, began});
  return found;
}

void CachedSessionStore::touch(const std::string& token_hash, UnixSeconds now) {
  store_.touch(token_hash, now);
  entries_.update(token_hash, [now](const Session& s) {
    Session touched = s;
    touched.last_seen_at = now;
    return touched;
  });
}

// Each write invalidates after the store has done it, so a lookup that
// read the row before (and stores it after) is never served.
bool CachedSessionStore::remove(const std::string& token_hash) {
  const bool removed = store_.remove(token_hash);
  cache_.invalidations().session_changed(token_hash);
  entries_.erase(token_hash);
  return removed;
}

bool CachedSessionStore::remove_by_public_id(std::int64_t user_id, const std::string& public_id) {
  const bool removed = store_.remove_by_public_id(user_id, public_id);
  cache_.invalidations().user_changed(user_id);
  return removed;
}

std::size_t CachedSessionStore::remove_all_of_user(std::int64_t user_id,
                                                   const std::string& keep_token_hash) {
  const std::size_t removed = store_.remove_all_of_user(user_id, keep_token_hash);
  cache_.invalidations().user_changed(user_id);
  return removed;
}

}  // namespace stork
