#pragma once
// An AccountStore that answers find(id) (every signed-in request asks it)
// from memory while nothing has changed the user since it was read; the
// sign-in path (by username, the password hash, the locked credential
// version) always reads the store.

#include "accounts/account_store.hpp"
#include "cache/cache_map.hpp"
#include "cache/read_cache.hpp"

namespace stork {

class CachedAccountStore final : public AccountStore {
 public:
  CachedAccountStore(AccountStore& store, ReadCache& cache)
      : store_(store), cache_(cache), entries_(cache.options().users) {}

  std::optional<User> find(std::string_view username) override { return store_.find(username); }
  std::optional<User> find(std::int64_t id) override;
  std::optional<std::string> password_hash(std::int64_t user_id) override {
    return store_.password_hash(user_id);
  }
  std::optional<User> add(const NewUser& user, UnixSeconds now) override {
    return store_.add(user, now);
  }
  bool set_password_hash(std::int64_t user_id, const std::string& password_hash) override;
  bool set_disabled(std::int64_t user_id, bool disabled) override;
  void upgrade_password_hash(std::int64_t user_id, const std::string& password_hash) override;
  std::optional<std::int64_t> lock_credential_version(std::int64_t user_id) override {
    return store_.lock_credential_version(user_id);
  }

 private:
  AccountStore& store_;
  ReadCache& cache_;
  CacheMap<std::int64_t, User> entries_;
};

}  // namespace stork
