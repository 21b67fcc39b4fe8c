#include "postgresql/pg_account_store.hpp"

namespace stork {
namespace {

using pg::Connection;
using pg::Params;
using pg::Result;

const std::string kUser = "SELECT id, username, first_name, last_name, disabled, credential_version FROM users ";

std::optional<User> read_user(const Result& r) {
  if (r.rows() == 0) return std::nullopt;
  User u;
  u.id = r.int64(0, 0);
  u.username = r.string(0, 1);
  u.first = r.string(0, 2);
  u.last = r.string(0, 3);
  u.disabled = r.boolean(0, 4);
  u.credential_version = r.int64(0, 5);
  return u;
}

}  // namespace

std::optional<User> PgAccountStore::find(std::string_view username) {
  return db_.run([&](Connection& c) {
    return read_user(c.query(kUser + "WHERE lower(username) = lower($1)", Params(username)));
  });
}

std::optional<User> PgAccountStore::find(std::int64_t id) {
  return db_.run([&](Connection& c) { return read_user(c.query(kUser + "WHERE id = $1", Params(id))); });
}

std::optional<std::string> PgAccountStore::password_hash(std::int64_t user_id) {
  return db_.run([&](Connection& c) -> std::optional<std::string> {
    const Result r = c.query("SELECT password_hash FROM users WHERE id = $1", Params(user_id));
    if (r.rows() == 0) return std::nullopt;
    return r.string(0, 0);
  });
}

std::optional<User> PgAccountStore::add(const NewUser& user, UnixSeconds now) {
  return db_.run([&](Connection& c) -> std::optional<User> {
    // DO NOTHING without a target covers every unique index, the
    // lower(username) one included: a taken name in any case adds nothing.
    const Result r = c.query(
        "INSERT INTO users (username, first_name, last_name, password_hash, created_at) "
        "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id",
        Params(user.username, user.first, user.last, user.password_hash, now));
    if (r.rows() == 0) return std::nullopt;
    User out;
    out.id = r.int64(0, 0);
    out.username = user.username;
    out.first = user.first;
    out.last = user.last;
    return out;
  });
}

bool PgAccountStore::set_password_hash(std::int64_t user_id, const std::string& password_hash) {
  return db_.run([&](Connection& c) {
    return c.query("UPDATE users SET password_hash = $2, credential_version = credential_version + 1 "
                   "WHERE id = $1",
                   Params(user_id, password_hash))
               .affected() > 0;
  });
}

bool PgAccountStore::set_disabled(std::int64_t user_id, bool disabled) {
  return db_.run([&](Connection& c) {
    return c.query("UPDATE users SET disabled = $2, credential_version = credential_version + 1 "
                   "WHERE id = $1",
                   Params(user_id, disabled))
               .affected() > 0;
  });
}

void PgAccountStore::upgrade_password_hash(std::int64_t user_id, const std::string& password_hash) {
  db_.run([&](Connection& c) {
    c.query("UPDATE users SET password_hash = $2 WHERE id = $1", Params(user_id, password_hash));
  });
}

std::optional<std::int64_t> PgAccountStore::lock_credential_version(std::int64_t user_id) {
  return db_.run([&](Connection& c) -> std::optional<std::int64_t> {
    const Result r = c.query(
        "SELECT credential_version FROM users WHERE id = $1 AND NOT disabled FOR SHARE", Params(user_id));
    if (r.rows() == 0) return std::nullopt;
    return r.int64(0, 0);
  });
}

}  // namespace stork
