#include "postgresql/pg_reset_link_store.hpp"

namespace stork {

using pg::Connection;
using pg::Params;
using pg::Result;

void PgResetLinkStore::put(std::int64_t user_id, const std::string& token_hash, UnixSeconds created_at,
                           UnixSeconds expires_at) {
  db_.run([&](Connection& c) {
    c.query("INSERT INTO password_reset_links (user_id, token_hash, created_at, expires_at) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, "
            "created_at = excluded.created_at, expires_at = excluded.expires_at",
            Params(user_id, token_hash, created_at, expires_at));
  });
}

std::optional<std::int64_t> PgResetLinkStore::user_of(const std::string& token_hash, UnixSeconds now) {
  return db_.run([&](Connection& c) -> std::optional<std::int64_t> {
    const Result r = c.query(
        "SELECT user_id FROM password_reset_links WHERE token_hash = $1 AND expires_at > $2",
        Params(token_hash, now));
    if (r.rows() == 0) return std::nullopt;
    return r.int64(0, 0);
  });
}

std::optional<std::int64_t> PgResetLinkStore::redeem(const std::string& token_hash,
                                                     const std::string& new_password_hash,
                                                     UnixSeconds now) {
  return db_.transaction([&](Connection& c) -> std::optional<std::int64_t> {
    // Deleting is what makes the link single-use.
    const Result link = c.query(
        "DELETE FROM password_reset_links WHERE token_hash = $1 AND expires_at > $2 RETURNING user_id",
        Params(token_hash, now));
    if (link.rows() == 0) return std::nullopt;
    const std::int64_t user_id = link.int64(0, 0);
    // A new password is new credentials: a sign-in that checked the old
    // ones must not start a session (see AccountStore).
    c.query("UPDATE users SET password_hash = $1, credential_version = credential_version + 1 WHERE id = $2",
            Params(new_password_hash, user_id));
    c.query("DELETE FROM sessions WHERE user_id = $1", Params(user_id));
    c.query("DELETE FROM refresh_tokens WHERE user_id = $1", Params(user_id));
    return user_id;
  });
}

std::size_t PgResetLinkStore::purge(UnixSeconds now) {
  return db_.run([&](Connection& c) {
    return static_cast<std::size_t>(
        c.query("DELETE FROM password_reset_links WHERE expires_at <= $1", Params(now)).affected());
  });
}

}  // namespace stork
