#include "accounts/accounts.hpp"

#include "text/utf8.hpp"

namespace stork {
namespace {

User read_user(SQLite::Statement& q) {
  User u;
  u.id = q.getColumn(0).getInt64();
  u.username = q.getColumn(1).getString();
  u.first = q.getColumn(2).getString();
  u.last = q.getColumn(3).getString();
  u.disabled = q.getColumn(4).getInt() != 0;
  return u;
}

}  // namespace

std::string username_violation(std::string_view username) {
  if (username.empty()) return "The username is empty.";
  if (username.size() > kMaxUsernameBytes) return "The username is longer than 64 bytes.";
  for (const char c : username) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return "Use only letters, digits, '.', '_' and '-' in a username.";
  }
  return {};
}

std::string name_violation(std::string_view name) {
  if (name.empty()) return "A name is empty.";
  if (name.size() > kMaxNameBytes) return "A name is longer than 100 bytes.";
  if (!is_valid_utf8(name)) return "A name is not valid UTF-8 text.";
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "A name contains a control character.";
  }
  return {};
}

std::optional<User> Accounts::find(std::string_view username) {
  auto q = db_.connection().prepare(
      "SELECT id, username, first_name, last_name, disabled FROM users WHERE username = ?");
  q->bind(1, std::string(username));
  if (!q->executeStep()) return std::nullopt;
  return read_user(*q);
}

std::optional<User> Accounts::find(std::int64_t id) {
  auto q = db_.connection().prepare(
      "SELECT id, username, first_name, last_name, disabled FROM users WHERE id = ?");
  q->bind(1, id);
  if (!q->executeStep()) return std::nullopt;
  return read_user(*q);
}

std::optional<std::string> Accounts::password_hash(std::int64_t user_id) {
  auto q = db_.connection().prepare("SELECT password_hash FROM users WHERE id = ?");
  q->bind(1, user_id);
  if (!q->executeStep()) return std::nullopt;
  return q->getColumn(0).getString();
}

std::optional<User> Accounts::add(const std::string& username, const std::string& first,
                                  const std::string& last, const std::string& password_hash,
                                  UnixSeconds now) {
  auto q = db_.connection().prepare(
      "INSERT INTO users (username, first_name, last_name, password_hash, created_at) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");  // any unique index: case too
  q->bind(1, username);
  q->bind(2, first);
  q->bind(3, last);
  q->bind(4, password_hash);
  q->bind(5, now);
  if (q->exec() == 0) return std::nullopt;
  return User{db_.connection().db().getLastInsertRowid(), username, first, last, false};
}

void Accounts::set_password_hash(std::int64_t user_id, const std::string& password_hash) {
  auto q = db_.connection().prepare("UPDATE users SET password_hash = ? WHERE id = ?");
  q->bind(1, password_hash);
  q->bind(2, user_id);
  q->exec();
}

void Accounts::set_disabled(std::int64_t user_id, bool disabled) {
  auto q = db_.connection().prepare("UPDATE users SET disabled = ? WHERE id = ?");
  q->bind(1, disabled ? 1 : 0);
  q->bind(2, user_id);
  q->exec();
}

}  // namespace stork
