#pragma once
// User accounts in PostgreSQL, shared by every process.
//
// Isolation: READ COMMITTED. Every call but one is a single statement.
// lock_credential_version() takes the user's row FOR SHARE inside the
// caller's unit of work: a sign-in holding it makes a concurrent password
// change or disable (an UPDATE, which needs the row exclusively) wait
// until the sign-in's session insert has committed, and a sign-in that
// comes second waits for the change and then reads the new version (READ
// COMMITTED re-checks the row after the wait, so a disabled user is not
// returned). Several sign-ins of one user share the lock and do not wait
// for each other, which FOR UPDATE would make them do.
//
// Usernames are compared with lower(), which the unique index of
// db/postgresql/006 covers: the lookup is an index scan, and "Alice" and
// "alice" are one account.

#include "accounts/account_store.hpp"
#include "postgresql/pg_database.hpp"

namespace stork {

class PgAccountStore final : public AccountStore {
 public:
  explicit PgAccountStore(pg::Database& db) : db_(db) {}

  std::optional<User> find(std::string_view username) override;
  std::optional<User> find(std::int64_t id) override;
  std::optional<std::string> password_hash(std::int64_t user_id) override;
  std::optional<User> add(const NewUser& user, UnixSeconds now) override;
  bool set_password_hash(std::int64_t user_id, const std::string& password_hash) override;
  bool set_disabled(std::int64_t user_id, bool disabled) override;
  void upgrade_password_hash(std::int64_t user_id, const std::string& password_hash) override;
  std::optional<std::int64_t> lock_credential_version(std::int64_t user_id) override;

 private:
  pg::Database& db_;
};

}  // namespace stork
