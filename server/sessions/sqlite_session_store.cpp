#include "sessions/sqlite_session_store.hpp"

namespace stork {
namespace {

constexpr const char* kColumns =
    "public_id, user_id, created_at, last_seen_at, absolute_expires_at, remember, user_agent, "
    "publisher, top_site, token_expires_at";

Session read_session(SQLite::Statement& q) {
  Session s;
  s.public_id = q.getColumn(0).getString();
  s.user_id = q.getColumn(1).getInt64();
  s.created_at = q.getColumn(2).getInt64();
  s.last_seen_at = q.getColumn(3).getInt64();
  s.absolute_expires_at = q.getColumn(4).getInt64();
  s.remember = q.getColumn(5).getInt() != 0;
  s.user_agent = q.getColumn(6).getString();
  s.publisher = q.getColumn(7).getString();
  s.top_site = q.getColumn(8).getString();
  s.token_expires_at = q.getColumn(9).getInt64();
  return s;
}

}  // namespace

// Every write of this store is one statement in autocommit mode; a
// request's read transaction ends first (see Connection::end_read_transaction).
Connection& SqliteSessionStore::writer() {
  Connection& conn = db_.connection();
  conn.end_read_transaction();
  return conn;
}

void SqliteSessionStore::insert(const std::string& token_hash, const Session& s) {
  auto q = writer().prepare(
      "INSERT INTO sessions (token_hash, public_id, user_id, created_at, last_seen_at, "
      "absolute_expires_at, remember, user_agent, publisher, top_site, token_expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q->bind(1, token_hash);
  q->bind(2, s.public_id);
  q->bind(3, s.user_id);
  q->bind(4, s.created_at);
  q->bind(5, s.last_seen_at);
  q->bind(6, s.absolute_expires_at);
  q->bind(7, s.remember ? 1 : 0);
  q->bind(8, s.user_agent);
  q->bind(9, s.publisher);
  q->bind(10, s.top_site);
  q->bind(11, s.token_expires_at);
  q->exec();
}

std::optional<Session> SqliteSessionStore::find(const std::string& token_hash) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + " FROM sessions WHERE token_hash = ?";
  auto q = db_.connection().prepare(sql.c_str());
  q->bind(1, token_hash);
  if (!q->executeStep()) return std::nullopt;
  return read_session(*q);
}

void SqliteSessionStore::touch(const std::string& token_hash, UnixSeconds now) {
  auto q = writer().prepare("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?");
  q->bind(1, now);
  q->bind(2, token_hash);
  q->exec();
}

bool SqliteSessionStore::remove(const std::string& token_hash) {
  auto q = writer().prepare("DELETE FROM sessions WHERE token_hash = ?");
  q->bind(1, token_hash);
  return q->exec() > 0;
}

bool SqliteSessionStore::remove_by_public_id(std::int64_t user_id, const std::string& public_id) {
  auto q = writer().prepare("DELETE FROM sessions WHERE user_id = ? AND public_id = ?");
  q->bind(1, user_id);
  q->bind(2, public_id);
  return q->exec() > 0;
}

std::size_t SqliteSessionStore::remove_all_of_user(std::int64_t user_id,
                                                   const std::string& keep_token_hash) {
  auto q = writer().prepare("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?");
  q->bind(1, user_id);
  q->bind(2, keep_token_hash);
  return static_cast<std::size_t>(q->exec());
}

std::vector<Session> SqliteSessionStore::list_of_user(std::int64_t user_id) {
  static const std::string sql = std::string("SELECT ") + kColumns +
                                 " FROM sessions WHERE user_id = ? ORDER BY created_at DESC";
  auto q = db_.connection().prepare(sql.c_str());
  q->bind(1, user_id);
  std::vector<Session> out;
  while (q->executeStep()) out.push_back(read_session(*q));
  return out;
}

std::vector<std::string> SqliteSessionStore::token_hashes_of_user_oldest_first(
    std::int64_t user_id) {
  auto q = db_.connection().prepare(
      "SELECT token_hash FROM sessions WHERE user_id = ? ORDER BY created_at, last_seen_at");
  q->bind(1, user_id);
  std::vector<std::string> out;
  while (q->executeStep()) out.push_back(q->getColumn(0).getString());
  return out;
}

std::size_t SqliteSessionStore::purge_expired(UnixSeconds now, std::int64_t idle_seconds) {
  auto q = writer().prepare(
      "DELETE FROM sessions WHERE absolute_expires_at <= ? OR last_seen_at <= ?");
  q->bind(1, now);
  q->bind(2, now - idle_seconds);
  return static_cast<std::size_t>(q->exec());
}

std::size_t SqliteSessionStore::count_live(UnixSeconds now, std::int64_t idle_seconds) {
  auto q = db_.connection().prepare(
      "SELECT count(*) FROM sessions WHERE absolute_expires_at > ? AND last_seen_at > ?");
  q->bind(1, now);
  q->bind(2, now - idle_seconds);
  q->executeStep();
  return static_cast<std::size_t>(q->getColumn(0).getInt64());
}

}  // namespace stork
