#pragma once
// The operator's view of the accounts in PostgreSQL.
//
// Isolation: READ COMMITTED; each call is one statement, so the counts of
// one user come from one snapshot.

#include "accounts/user_directory.hpp"
#include "postgresql/pg_database.hpp"

namespace stork {

class PgUserDirectory final : public UserDirectory {
 public:
  explicit PgUserDirectory(pg::Database& db) : db_(db) {}

  std::vector<UserSummary> list() override;
  std::optional<UserSummary> show(const std::string& username) override;

 private:
  pg::Database& db_;
};

}  // namespace stork
