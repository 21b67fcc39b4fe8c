#include "postgresql/pg_identity_store.hpp"

namespace stork {
namespace {

using pg::Connection;
using pg::Params;
using pg::Result;

const std::string kKeyColumns = "k.kid, p.key, k.alg, k.material, k.created_at";

PublisherKey read_key(const Result& r, int row) {
  PublisherKey k;
  k.kid = r.string(row, 0);
  k.publisher = r.string(row, 1);
  k.alg = parse_alg(r.text(row, 2)).value_or(JwsAlg::es256);
  k.material = r.string(row, 3);
  k.created_at = r.int64(row, 4);
  return k;
}

}  // namespace

KeyAdded PgIdentityStore::add_key(const PublisherKey& key) {
  return db_.run([&](Connection& c) {
    const Result r = c.query(
        "INSERT INTO publisher_keys (kid, publisher_id, alg, material, created_at) "
        "SELECT $1, id, $2, $3, $4 FROM publishers WHERE key = $5 ON CONFLICT (kid) DO NOTHING",
        Params(key.kid, std::string(alg_name(key.alg)), key.material, key.created_at, key.publisher));
    if (r.affected() == 1) return KeyAdded::added;
    return c.query("SELECT 1 FROM publishers WHERE key = $1", Params(key.publisher)).rows() > 0
               ? KeyAdded::kid_taken
               : KeyAdded::no_such_publisher;
  });
}

std::optional<PublisherKey> PgIdentityStore::find_key(std::string_view kid) {
  static const std::string sql = "SELECT " + kKeyColumns +
                                 " FROM publisher_keys k JOIN publishers p ON p.id = k.publisher_id "
                                 "WHERE k.kid = $1";
  return db_.run([&](Connection& c) -> std::optional<PublisherKey> {
    const Result r = c.query(sql, Params(kid));
    if (r.rows() == 0) return std::nullopt;
    return read_key(r, 0);
  });
}

std::vector<PublisherKey> PgIdentityStore::list_keys(std::string_view publisher) {
  static const std::string sql = "SELECT " + kKeyColumns +
                                 " FROM publisher_keys k JOIN publishers p ON p.id = k.publisher_id "
                                 "WHERE $1 = '' OR p.key = $1 ORDER BY k.created_at, k.kid";
  return db_.run([&](Connection& c) {
    const Result r = c.query(sql, Params(publisher));
    std::vector<PublisherKey> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_key(r, i));
    return out;
  });
}

bool PgIdentityStore::remove_key(std::string_view kid) {
  return db_.run([&](Connection& c) {
    return c.query("DELETE FROM publisher_keys WHERE kid = $1", Params(kid)).affected() > 0;
  });
}

bool PgIdentityStore::claim_jti(std::string_view publisher, std::string_view jti,
                                UnixSeconds expires_at) {
  return db_.run([&](Connection& c) {
    return c.query("INSERT INTO identity_jtis (publisher_id, jti, expires_at) "
                   "SELECT id, $1, $2 FROM publishers WHERE key = $3 ON CONFLICT DO NOTHING",
                   Params(jti, expires_at, publisher))
               .affected() == 1;
  });
}

std::size_t PgIdentityStore::purge_jtis(UnixSeconds now) {
  return db_.run([&](Connection& c) {
    return static_cast<std::size_t>(
        c.query("DELETE FROM identity_jtis WHERE expires_at < $1", Params(now)).affected());
  });
}

std::optional<std::int64_t> PgIdentityStore::account_for(const AssertedReader& reader,
                                                         UnixSeconds now) {
  // One upsert on the (asserted_by, asserted_subject) index: concurrent
  // first sign-ins wait for each other there and make one account.
  return db_.run([&](Connection& c) -> std::optional<std::int64_t> {
    const Result r = c.query(
        "INSERT INTO users (username, first_name, last_name, password_hash, created_at, "
        "asserted_by, asserted_subject) "
        "SELECT $1, $2, $3, $4, $5, id, $6 FROM publishers WHERE key = $7 "
        "ON CONFLICT (asserted_by, asserted_subject) DO UPDATE SET "
        "first_name = excluded.first_name, last_name = excluded.last_name RETURNING id",
        Params(asserted_username(reader.publisher, reader.subject), reader.first, reader.last,
               kNoPassword, now, reader.subject, reader.publisher));
    if (r.rows() == 0) return std::nullopt;
    return r.int64(0, 0);
  });
}

std::optional<std::string> PgIdentityStore::asserted_by(std::int64_t user_id) {
  return db_.run([&](Connection& c) -> std::optional<std::string> {
    const Result r = c.query(
        "SELECT p.key FROM users u JOIN publishers p ON p.id = u.asserted_by WHERE u.id = $1",
        Params(user_id));
    if (r.rows() == 0) return std::nullopt;
    return r.string(0, 0);
  });
}

}  // namespace stork
