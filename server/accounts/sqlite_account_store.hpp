#pragma once
// AccountStore on the SQLite file.

#include "accounts/account_store.hpp"
#include "storage/database.hpp"

namespace stork {

class SqliteAccountStore final : public AccountStore {
 public:
  explicit SqliteAccountStore(Database& db) : db_(db) {}

  std::optional<User> find(std::string_view username) override;
  std::optional<User> find(std::int64_t id) override;
  std::optional<std::string> password_hash(std::int64_t user_id) override;
  std::optional<User> add(const NewUser& user, UnixSeconds now) override;
  bool set_password_hash(std::int64_t user_id, const std::string& password_hash) override;
  bool set_disabled(std::int64_t user_id, bool disabled) override;
  void upgrade_password_hash(std::int64_t user_id, const std::string& password_hash) override;
  std::optional<std::int64_t> lock_credential_version(std::int64_t user_id) override;

 private:
  Database& db_;
};

}  // namespace stork
