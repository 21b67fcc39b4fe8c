#include "cache/cached_account_store.hpp"

namespace stork {

std::optional<User> CachedAccountStore::find(std::int64_t id) {
  Invalidations& changes = cache_.invalidations();
  if (const auto kept = entries_.find(id);
      kept && cache_.servable(kept->filled) && changes.user_unchanged_since(id, kept->mark)) {
    cache_.count(ReadCache::Kind::user, true);
    return *kept->value;
  }
  cache_.count(ReadCache::Kind::user, false);
  const auto mark = changes.mark();
  const auto began = cache_.now();
  cache_.reaching_store();
  auto found = store_.find(id);
  if (found) entries_.put(id, {std::make_shared<const User>(*found), mark, began});
  return found;
}

// Each write invalidates after the store has done it (see
// CachedSessionStore).
bool CachedAccountStore::set_password_hash(std::int64_t user_id, const std::string& password_hash) {
  const bool changed = store_.set_password_hash(user_id, password_hash);
  cache_.invalidations().user_changed(user_id);
  return changed;
}

bool CachedAccountStore::set_disabled(std::int64_t user_id, bool disabled) {
  const bool changed = store_.set_disabled(user_id, disabled);
  cache_.invalidations().user_changed(user_id);
  return changed;
}

void CachedAccountStore::upgrade_password_hash(std::int64_t user_id,
                                               const std::string& password_hash) {
  store_.upgrade_password_hash(user_id, password_hash);
  cache_.invalidations().user_changed(user_id);
}

}  // namespace stork
