#include "postgresql/pg_session_store.hpp"

namespace stork {
namespace {

using pg::Connection;
using pg::Params;
using pg::Result;

const std::string kColumns =
    "public_id, user_id, created_at, last_seen_at, absolute_expires_at, remember, user_agent, "
    "publisher, top_site, token_expires_at";

Session read_session(const Result& r, int row) {
  Session s;
  s.public_id = r.string(row, 0);
  s.user_id = r.int64(row, 1);
  s.created_at = r.int64(row, 2);
  s.last_seen_at = r.int64(row, 3);
  s.absolute_expires_at = r.int64(row, 4);
  s.remember = r.boolean(row, 5);
  s.user_agent = r.string(row, 6);
  s.publisher = r.string(row, 7);
  s.top_site = r.string(row, 8);
  s.token_expires_at = r.int64(row, 9);
  return s;
}

}  // namespace

void PgSessionStore::insert(const std::string& token_hash, const Session& s) {
  db_.run([&](Connection& c) {
    c.query("INSERT INTO sessions (token_hash, " + kColumns +
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            Params(token_hash, s.public_id, s.user_id, s.created_at, s.last_seen_at,
                   s.absolute_expires_at, s.remember, s.user_agent, s.publisher, s.top_site,
                   s.token_expires_at));
  });
}

std::optional<Session> PgSessionStore::find(const std::string& token_hash) {
  static const std::string sql = "SELECT " + kColumns + " FROM sessions WHERE token_hash = $1";
  return db_.run([&](Connection& c) -> std::optional<Session> {
    const Result r = c.query(sql, Params(token_hash));
    if (r.rows() == 0) return std::nullopt;
    return read_session(r, 0);
  });
}

void PgSessionStore::touch(const std::string& token_hash, UnixSeconds now) {
  db_.run([&](Connection& c) {
    c.query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2", Params(now, token_hash));
  });
}

bool PgSessionStore::remove(const std::string& token_hash) {
  return db_.run([&](Connection& c) {
    return c.query("DELETE FROM sessions WHERE token_hash = $1", Params(token_hash)).affected() > 0;
  });
}

bool PgSessionStore::remove_by_public_id(std::int64_t user_id, const std::string& public_id) {
  return db_.run([&](Connection& c) {
    return c.query("DELETE FROM sessions WHERE user_id = $1 AND public_id = $2",
                   Params(user_id, public_id))
               .affected() > 0;
  });
}

std::size_t PgSessionStore::remove_all_of_user(std::int64_t user_id,
                                               const std::string& keep_token_hash) {
  return db_.run([&](Connection& c) {
    return static_cast<std::size_t>(
        c.query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
                Params(user_id, keep_token_hash))
            .affected());
  });
}

std::vector<Session> PgSessionStore::list_of_user(std::int64_t user_id) {
  // public_id breaks ties so the order is the same on every call.
  static const std::string sql =
      "SELECT " + kColumns + " FROM sessions WHERE user_id = $1 ORDER BY created_at DESC, public_id";
  return db_.run([&](Connection& c) {
    const Result r = c.query(sql, Params(user_id));
    std::vector<Session> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_session(r, i));
    return out;
  });
}

std::vector<std::string> PgSessionStore::token_hashes_of_user_oldest_first(std::int64_t user_id) {
  return db_.run([&](Connection& c) {
    const Result r = c.query(
        "SELECT token_hash FROM sessions WHERE user_id = $1 ORDER BY created_at, last_seen_at, token_hash",
        Params(user_id));
    std::vector<std::string> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(r.string(i, 0));
    return out;
  });
}

std::size_t PgSessionStore::purge_expired(UnixSeconds now, std::int64_t idle_seconds) {
  return db_.run([&](Connection& c) {
    return static_cast<std::size_t>(
        c.query("DELETE FROM sessions WHERE absolute_expires_at <= $1 OR last_seen_at <= $2",
                Params(now, now - idle_seconds))
            .affected());
  });
}

std::size_t PgSessionStore::count_live(UnixSeconds now, std::int64_t idle_seconds) {
  return db_.run([&](Connection& c) {
    return static_cast<std::size_t>(
        c.query("SELECT count(*) FROM sessions WHERE absolute_expires_at > $1 AND last_seen_at > $2",
                Params(now, now - idle_seconds))
            .int64(0, 0));
  });
}

}  // namespace stork
