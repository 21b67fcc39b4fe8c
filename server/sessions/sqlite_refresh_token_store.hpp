#pragma once

#include "sessions/refresh_token_store.hpp"
#include "storage/database.hpp"

namespace stork {

class SqliteRefreshTokenStore final : public RefreshTokenStore {
 public:
  explicit SqliteRefreshTokenStore(Database& db) : db_(db) {}

  void insert(const RefreshRecord& record) override;
  std::optional<RefreshRecord> find(const std::string& token_hash) override;
  bool rotate(const std::string& spent_hash, const RefreshRecord& successor,
              UnixSeconds now) override;
  std::size_t remove_family(const std::string& family_id) override;
  std::size_t remove_all_of_user(std::int64_t user_id) override;
  std::size_t purge_issued_before(UnixSeconds issued_before) override;

 private:
  Database& db_;
};

}  // namespace stork
