#include "identity/sqlite_identity_store.hpp"

namespace stork {
namespace {

constexpr const char* kKeyColumns = "k.kid, p.key, k.alg, k.material, k.created_at";

PublisherKey read_key(SQLite::Statement& q) {
  PublisherKey k;
  k.kid = q.getColumn(0).getString();
  k.publisher = q.getColumn(1).getString();
  k.alg = parse_alg(q.getColumn(2).getString()).value_or(JwsAlg::es256);
  k.material = q.getColumn(3).getString();
  k.created_at = q.getColumn(4).getInt64();
  return k;
}

}  // namespace

// Every write here is one statement in autocommit mode; a request's read
// transaction ends first (see Connection::end_read_transaction).
Connection& SqliteIdentityStore::writer() {
  Connection& conn = db_.connection();
  conn.end_read_transaction();
  return conn;
}

KeyAdded SqliteIdentityStore::add_key(const PublisherKey& key) {
  auto q = writer().prepare(
      "INSERT INTO publisher_keys (kid, publisher_id, alg, material, created_at) "
      "SELECT ?, id, ?, ?, ? FROM publishers WHERE key = ? ON CONFLICT (kid) DO NOTHING");
  q->bind(1, key.kid);
  q->bind(2, std::string(alg_name(key.alg)));
  q->bind(3, key.material);
  q->bind(4, key.created_at);
  q->bind(5, key.publisher);
  if (q->exec() == 1) return KeyAdded::added;
  auto exists = db_.connection().prepare("SELECT 1 FROM publishers WHERE key = ?");
  exists->bind(1, key.publisher);
  return exists->executeStep() ? KeyAdded::kid_taken : KeyAdded::no_such_publisher;
}

std::optional<PublisherKey> SqliteIdentityStore::find_key(std::string_view kid) {
  static const std::string sql = std::string("SELECT ") + kKeyColumns +
                                 " FROM publisher_keys k JOIN publishers p ON p.id = k.publisher_id "
                                 "WHERE k.kid = ?";
  auto q = db_.connection().prepare(sql.c_str());
  q->bind(1, std::string(kid));
  if (!q->executeStep()) return std::nullopt;
  return read_key(*q);
}

std::vector<PublisherKey> SqliteIdentityStore::list_keys(std::string_view publisher) {
  static const std::string sql = std::string("SELECT ") + kKeyColumns +
                                 " FROM publisher_keys k JOIN publishers p ON p.id = k.publisher_id "
                                 "WHERE ?1 = '' OR p.key = ?1 ORDER BY k.created_at, k.kid";
  auto q = db_.connection().prepare(sql.c_str());
  q->bind(1, std::string(publisher));
  std::vector<PublisherKey> out;
  while (q->executeStep()) out.push_back(read_key(*q));
  return out;
}

bool SqliteIdentityStore::remove_key(std::string_view kid) {
  auto q = writer().prepare("DELETE FROM publisher_keys WHERE kid = ?");
  q->bind(1, std::string(kid));
  return q->exec() > 0;
}

bool SqliteIdentityStore::claim_jti(std::string_view publisher, std::string_view jti,
                                    UnixSeconds expires_at) {
  auto q = writer().prepare(
      "INSERT INTO identity_jtis (publisher_id, jti, expires_at) "
      "SELECT id, ?, ? FROM publishers WHERE key = ? ON CONFLICT DO NOTHING");
  q->bind(1, std::string(jti));
  q->bind(2, expires_at);
  q->bind(3, std::string(publisher));
  return q->exec() == 1;
}

std::size_t SqliteIdentityStore::purge_jtis(UnixSeconds now) {
  auto q = writer().prepare("DELETE FROM identity_jtis WHERE expires_at < ?");
  q->bind(1, now);
  return static_cast<std::size_t>(q->exec());
}

std::optional<std::int64_t> SqliteIdentityStore::account_for(const AssertedReader& reader,
                                                             UnixSeconds now) {
  // One upsert keyed by (asserted_by, asserted_subject): two first
  // sign-ins at once make one account, and the names follow the claims.
  auto q = writer().prepare(
      "INSERT INTO users (username, first_name, last_name, password_hash, created_at, "
      "asserted_by, asserted_subject) "
      "SELECT ?, ?, ?, ?, ?, id, ? FROM publishers WHERE key = ? "
      "ON CONFLICT (asserted_by, asserted_subject) DO UPDATE SET "
      "first_name = excluded.first_name, last_name = excluded.last_name RETURNING id");
  q->bind(1, asserted_username(reader.publisher, reader.subject));
  q->bind(2, reader.first);
  q->bind(3, reader.last);
  q->bind(4, kNoPassword);
  q->bind(5, now);
  q->bind(6, reader.subject);
  q->bind(7, reader.publisher);
  if (!q->executeStep()) return std::nullopt;
  const std::int64_t id = q->getColumn(0).getInt64();
  while (q->executeStep()) {
  }
  return id;
}

std::optional<std::string> SqliteIdentityStore::asserted_by(std::int64_t user_id) {
  auto q = db_.connection().prepare(
      "SELECT p.key FROM users u JOIN publishers p ON p.id = u.asserted_by WHERE u.id = ?");
  q->bind(1, user_id);
  if (!q->executeStep()) return std::nullopt;
  return q->getColumn(0).getString();
}

}  // namespace stork
