#pragma once
// Publisher keys, used token ids and asserted accounts in PostgreSQL,
// shared by every Stork process on the database: a jti claimed through
// one process is refused by all.

#include "identity/identity_store.hpp"
#include "postgresql/pg_database.hpp"

namespace stork {

class PgIdentityStore final : public IdentityStore {
 public:
  explicit PgIdentityStore(pg::Database& db) : db_(db) {}

  KeyAdded add_key(const PublisherKey& key) override;
  std::optional<PublisherKey> find_key(std::string_view kid) override;
  std::vector<PublisherKey> list_keys(std::string_view publisher) override;
  bool remove_key(std::string_view kid) override;
  bool claim_jti(std::string_view publisher, std::string_view jti, UnixSeconds expires_at) override;
  std::size_t purge_jtis(UnixSeconds now) override;
  std::optional<std::int64_t> account_for(const AssertedReader& reader, UnixSeconds now) override;
  std::optional<std::string> asserted_by(std::int64_t user_id) override;

 private:
  pg::Database& db_;
};

}  // namespace stork
