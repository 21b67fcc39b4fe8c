#pragma once

#include "accounts/user_directory.hpp"
#include "storage/database.hpp"

namespace stork {

class SqliteUserDirectory final : public UserDirectory {
 public:
  explicit SqliteUserDirectory(Database& db) : db_(db) {}
  std::vector<UserSummary> list() override;
  std::optional<UserSummary> show(const std::string& username) override;

 private:
  Database& db_;
};

}  // namespace stork
