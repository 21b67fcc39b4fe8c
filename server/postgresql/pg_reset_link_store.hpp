#pragma once
// One-time password reset links in PostgreSQL (hashes only).
//
// Isolation: READ COMMITTED. redeem() deletes the link with a conditional
// DELETE ... RETURNING: of two requests racing with one token, the second
// waits for the first's row lock, then finds the row gone and changes
// nothing. The password change and the end of the user's sessions commit
// with that delete, or not at all.

#include "accounts/reset_link_store.hpp"
#include "postgresql/pg_database.hpp"

namespace stork {

class PgResetLinkStore final : public ResetLinkStore {
 public:
  explicit PgResetLinkStore(pg::Database& db) : db_(db) {}

  void put(std::int64_t user_id, const std::string& token_hash, UnixSeconds created_at,
           UnixSeconds expires_at) override;
  std::optional<std::int64_t> user_of(const std::string& token_hash, UnixSeconds now) override;
  std::optional<std::int64_t> redeem(const std::string& token_hash, const std::string& new_password_hash,
                                     UnixSeconds now) override;
  std::size_t purge(UnixSeconds now) override;

 private:
  pg::Database& db_;
};

}  // namespace stork
