#include "accounts/sqlite_account_store.hpp"

namespace stork {
namespace {

#define STORK_USER_COLUMNS "SELECT id, username, first_name, last_name, disabled, credential_version FROM users "

User read_user(SQLite::Statement& q) {
  User u;
  u.id = q.getColumn(0).getInt64();
  u.username = q.getColumn(1).getString();
  u.first = q.getColumn(2).getString();
  u.last = q.getColumn(3).getString();
  u.disabled = q.getColumn(4).getInt() != 0;
  u.credential_version = q.getColumn(5).getInt64();
  return u;
}

}  // namespace

std::optional<User> SqliteAccountStore::find(std::string_view username) {
  // NOCASE folds ASCII only, which is all a username may hold; the
  // users_username_nocase index serves it.
  auto q = db_.connection().prepare(STORK_USER_COLUMNS "WHERE username = ? COLLATE NOCASE");
  q->bind(1, std::string(username));
  if (!q->executeStep()) return std::nullopt;
  return read_user(*q);
}

std::optional<User> SqliteAccountStore::find(std::int64_t id) {
  auto q = db_.connection().prepare(STORK_USER_COLUMNS "WHERE id = ?");
  q->bind(1, id);
  if (!q->executeStep()) return std::nullopt;
  return read_user(*q);
}

std::optional<std::string> SqliteAccountStore::password_hash(std::int64_t user_id) {
  auto q = db_.connection().prepare("SELECT password_hash FROM users WHERE id = ?");
  q->bind(1, user_id);
  if (!q->executeStep()) return std::nullopt;
  return q->getColumn(0).getString();
}

std::optional<User> SqliteAccountStore::add(const NewUser& user, UnixSeconds now) {
  auto q = db_.connection().prepare(
      "INSERT INTO users (username, first_name, last_name, password_hash, created_at) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");  // any unique index: case too
  q->bind(1, user.username);
  q->bind(2, user.first);
  q->bind(3, user.last);
  q->bind(4, user.password_hash);
  q->bind(5, now);
  if (q->exec() == 0) return std::nullopt;
  return User{db_.connection().db().getLastInsertRowid(), user.username, user.first, user.last,
              false, 0};
}

bool SqliteAccountStore::set_password_hash(std::int64_t user_id, const std::string& password_hash) {
  auto q = db_.connection().prepare(
      "UPDATE users SET password_hash = ?, credential_version = credential_version + 1 "
      "WHERE id = ?");
  q->bind(1, password_hash);
  q->bind(2, user_id);
  return q->exec() > 0;
}

bool SqliteAccountStore::set_disabled(std::int64_t user_id, bool disabled) {
  auto q = db_.connection().prepare(
      "UPDATE users SET disabled = ?, credential_version = credential_version + 1 WHERE id = ?");
  q->bind(1, disabled ? 1 : 0);
  q->bind(2, user_id);
  return q->exec() > 0;
}

void SqliteAccountStore::upgrade_password_hash(std::int64_t user_id,
                                               const std::string& password_hash) {
  auto q = db_.connection().prepare("UPDATE users SET password_hash = ? WHERE id = ?");
  q->bind(1, password_hash);
  q->bind(2, user_id);
  q->exec();
}

std::optional<std::int64_t> SqliteAccountStore::lock_credential_version(std::int64_t user_id) {
  // Inside a UnitOfWork the write lock is already held (BEGIN IMMEDIATE):
  // no other writer can change the row before this unit commits.
  auto q = db_.connection().prepare(
      "SELECT credential_version FROM users WHERE id = ? AND disabled = 0");
  q->bind(1, user_id);
  if (!q->executeStep()) return std::nullopt;
  return q->getColumn(0).getInt64();
}

}  // namespace stork
