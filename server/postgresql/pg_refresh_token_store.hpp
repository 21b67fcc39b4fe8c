#pragma once
// Refresh tokens (kept sign-ins) in PostgreSQL, shared by every process.
//
// Isolation: READ COMMITTED. rotate() is the one read-modify-write: it
// spends the token with a conditional UPDATE (spent_at IS NULL), which
// PostgreSQL re-checks on the latest row version after waiting for a
// concurrent rotation, so of two rotations of one token exactly one
// updates a row and only that one adds the successor. Everything else is
// a single statement.

#include "postgresql/pg_database.hpp"
#include "sessions/refresh_token_store.hpp"

namespace stork {

class PgRefreshTokenStore final : public RefreshTokenStore {
 public:
  explicit PgRefreshTokenStore(pg::Database& db) : db_(db) {}

  void insert(const RefreshRecord& record) override;
  std::optional<RefreshRecord> find(const std::string& token_hash) override;
  bool rotate(const std::string& spent_hash, const RefreshRecord& successor,
              UnixSeconds now) override;
  std::size_t remove_family(const std::string& family_id) override;
  std::size_t remove_all_of_user(std::int64_t user_id) override;
  std::size_t purge_issued_before(UnixSeconds issued_before) override;

 private:
  pg::Database& db_;
};

}  // namespace stork
