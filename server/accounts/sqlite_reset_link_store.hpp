#pragma once

#include "accounts/reset_link_store.hpp"
#include "storage/database.hpp"

namespace stork {

class SqliteResetLinkStore final : public ResetLinkStore {
 public:
  explicit SqliteResetLinkStore(Database& db) : db_(db) {}

  void put(std::int64_t user_id, const std::string& token_hash, UnixSeconds created_at,
           UnixSeconds expires_at) override;
  std::optional<std::int64_t> user_of(const std::string& token_hash, UnixSeconds now) override;
  std::optional<std::int64_t> redeem(const std::string& token_hash,
                                     const std::string& new_password_hash,
                                     UnixSeconds now) override;
  std::size_t purge(UnixSeconds now) override;

 private:
  Database& db_;
};

}  // namespace stork
