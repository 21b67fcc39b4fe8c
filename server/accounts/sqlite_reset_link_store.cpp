#include "accounts/sqlite_reset_link_store.hpp"

namespace stork {

void SqliteResetLinkStore::put(std::int64_t user_id, const std::string& token_hash,
                               UnixSeconds created_at, UnixSeconds expires_at) {
  auto q = db_.connection().prepare(
      "INSERT INTO password_reset_links (user_id, token_hash, created_at, expires_at) "
      "VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET token_hash = excluded.token_hash, "
      "created_at = excluded.created_at, expires_at = excluded.expires_at");
  q->bind(1, user_id);
  q->bind(2, token_hash);
  q->bind(3, created_at);
  q->bind(4, expires_at);
  q->exec();
}

std::optional<std::int64_t> SqliteResetLinkStore::user_of(const std::string& token_hash,
                                                          UnixSeconds now) {
  auto q = db_.connection().prepare(
      "SELECT user_id FROM password_reset_links WHERE token_hash = ? AND expires_at > ?");
  q->bind(1, token_hash);
  q->bind(2, now);
  if (!q->executeStep()) return std::nullopt;
  return q->getColumn(0).getInt64();
}

std::optional<std::int64_t> SqliteResetLinkStore::redeem(const std::string& token_hash,
                                                         const std::string& new_password_hash,
                                                         UnixSeconds now) {
  Connection& conn = db_.connection();
  return write_transaction(conn, [&]() -> std::optional<std::int64_t> {
    std::int64_t user_id = 0;
    {
      // Deleting is what makes the link single-use, even for two requests
      // racing with the same token: only one of them deletes the row.
      auto q = conn.prepare(
          "DELETE FROM password_reset_links WHERE token_hash = ? AND expires_at > ? "
          "RETURNING user_id");
      q->bind(1, token_hash);
      q->bind(2, now);
      if (!q->executeStep()) return std::nullopt;
      user_id = q->getColumn(0).getInt64();
      while (q->executeStep()) {
      }
    }
    {
      // A new credential version: a sign-in verified against the old
      // password cannot start its session after this (AccountStore).
      auto q = conn.prepare(
          "UPDATE users SET password_hash = ?, credential_version = credential_version + 1 "
          "WHERE id = ?");
      q->bind(1, new_password_hash);
      q->bind(2, user_id);
      q->exec();
    }
    for (const char* sql : {"DELETE FROM sessions WHERE user_id = ?",
                            "DELETE FROM refresh_tokens WHERE user_id = ?"}) {
      auto q = conn.prepare(sql);
      q->bind(1, user_id);
      q->exec();
    }
    return user_id;
  });
}

std::size_t SqliteResetLinkStore::purge(UnixSeconds now) {
  auto q = db_.connection().prepare("DELETE FROM password_reset_links WHERE expires_at <= ?");
  q->bind(1, now);
  return static_cast<std::size_t>(q->exec());
}

}  // namespace stork
