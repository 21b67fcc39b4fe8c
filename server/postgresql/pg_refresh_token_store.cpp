#include "postgresql/pg_refresh_token_store.hpp"

namespace stork {
namespace {

using pg::Connection;
using pg::Params;
using pg::Result;

void insert_row(Connection& c, const RefreshRecord& r) {
  c.query("INSERT INTO refresh_tokens (token_hash, family_id, user_id, issued_at, spent_at) "
          "VALUES ($1, $2, $3, $4, $5)",
          Params(r.token_hash, r.family_id, r.user_id, r.issued_at, r.spent_at));
}

std::size_t affected(const Result& r) { return static_cast<std::size_t>(r.affected()); }

}  // namespace

void PgRefreshTokenStore::insert(const RefreshRecord& record) {
  db_.run([&](Connection& c) { insert_row(c, record); });
}

std::optional<RefreshRecord> PgRefreshTokenStore::find(const std::string& token_hash) {
  return db_.run([&](Connection& c) -> std::optional<RefreshRecord> {
    const Result r = c.query(
        "SELECT family_id, user_id, issued_at, spent_at FROM refresh_tokens WHERE token_hash = $1",
        Params(token_hash));
    if (r.rows() == 0) return std::nullopt;
    RefreshRecord out;
    out.token_hash = token_hash;
    out.family_id = r.string(0, 0);
    out.user_id = r.int64(0, 1);
    out.issued_at = r.int64(0, 2);
    if (!r.is_null(0, 3)) out.spent_at = r.int64(0, 3);
    return out;
  });
}

bool PgRefreshTokenStore::rotate(const std::string& spent_hash, const RefreshRecord& successor,
                                 UnixSeconds now) {
  return db_.transaction([&](Connection& c) {
    // Only the current token of the successor's family may be spent.
    const Result spent = c.query(
        "UPDATE refresh_tokens SET spent_at = $1 "
        "WHERE token_hash = $2 AND family_id = $3 AND spent_at IS NULL",
        Params(now, spent_hash, successor.family_id));
    if (spent.affected() != 1) return false;
    insert_row(c, successor);
    return true;
  });
}

std::size_t PgRefreshTokenStore::remove_family(const std::string& family_id) {
  return db_.run([&](Connection& c) {
    return affected(c.query("DELETE FROM refresh_tokens WHERE family_id = $1", Params(family_id)));
  });
}

std::size_t PgRefreshTokenStore::remove_all_of_user(std::int64_t user_id) {
  return db_.run([&](Connection& c) {
    return affected(c.query("DELETE FROM refresh_tokens WHERE user_id = $1", Params(user_id)));
  });
}

std::size_t PgRefreshTokenStore::purge_issued_before(UnixSeconds issued_before) {
  return db_.run([&](Connection& c) {
    return affected(c.query("DELETE FROM refresh_tokens WHERE issued_at <= $1", Params(issued_before)));
  });
}

}  // namespace stork
