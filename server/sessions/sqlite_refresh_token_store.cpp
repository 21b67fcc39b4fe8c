#include "sessions/sqlite_refresh_token_store.hpp"

namespace stork {
namespace {

void insert_row(Connection& conn, const RefreshRecord& r) {
  auto q = conn.prepare(
      "INSERT INTO refresh_tokens (token_hash, family_id, user_id, issued_at, spent_at) "
      "VALUES (?, ?, ?, ?, ?)");
  q->bind(1, r.token_hash);
  q->bind(2, r.family_id);
  q->bind(3, r.user_id);
  q->bind(4, r.issued_at);
  if (r.spent_at) {
    q->bind(5, *r.spent_at);
  } else {
    q->bind(5);
  }
  q->exec();
}

}  // namespace

void SqliteRefreshTokenStore::insert(const RefreshRecord& record) {
  insert_row(db_.connection(), record);
}

std::optional<RefreshRecord> SqliteRefreshTokenStore::find(const std::string& token_hash) {
  auto q = db_.connection().prepare(
      "SELECT family_id, user_id, issued_at, spent_at FROM refresh_tokens WHERE token_hash = ?");
  q->bind(1, token_hash);
  if (!q->executeStep()) return std::nullopt;
  RefreshRecord r;
  r.token_hash = token_hash;
  r.family_id = q->getColumn(0).getString();
  r.user_id = q->getColumn(1).getInt64();
  r.issued_at = q->getColumn(2).getInt64();
  if (!q->getColumn(3).isNull()) r.spent_at = q->getColumn(3).getInt64();
  return r;
}

bool SqliteRefreshTokenStore::rotate(const std::string& spent_hash, const RefreshRecord& successor,
                                     UnixSeconds now) {
  Connection& conn = db_.connection();
  return write_transaction(conn, [&] {
    // Only the current token of the successor's family may be spent.
    auto spend = conn.prepare(
        "UPDATE refresh_tokens SET spent_at = ? "
        "WHERE token_hash = ? AND family_id = ? AND spent_at IS NULL");
    spend->bind(1, now);
    spend->bind(2, spent_hash);
    spend->bind(3, successor.family_id);
    if (spend->exec() != 1) return false;
    insert_row(conn, successor);
    return true;
  });
}

std::size_t SqliteRefreshTokenStore::remove_family(const std::string& family_id) {
  auto q = db_.connection().prepare("DELETE FROM refresh_tokens WHERE family_id = ?");
  q->bind(1, family_id);
  return static_cast<std::size_t>(q->exec());
}

std::size_t SqliteRefreshTokenStore::remove_all_of_user(std::int64_t user_id) {
  auto q = db_.connection().prepare("DELETE FROM refresh_tokens WHERE user_id = ?");
  q->bind(1, user_id);
  return static_cast<std::size_t>(q->exec());
}

std::size_t SqliteRefreshTokenStore::purge_issued_before(UnixSeconds issued_before) {
  auto q = db_.connection().prepare("DELETE FROM refresh_tokens WHERE issued_at <= ?");
  q->bind(1, issued_before);
  return static_cast<std::size_t>(q->exec());
}

}  // namespace stork
