#pragma once

#include "sessions/session_store.hpp"
#include "storage/database.hpp"

namespace stork {

class SqliteSessionStore final : public SessionStore {
 public:
  explicit SqliteSessionStore(Database& db) : db_(db) {}

  void insert(const std::string& token_hash, const Session& session) override;
  std::optional<Session> find(const std::string& token_hash) override;
  void touch(const std::string& token_hash, UnixSeconds now) override;
  bool remove(const std::string& token_hash) override;
  bool remove_by_public_id(std::int64_t user_id, const std::string& public_id) override;
  std::size_t remove_all_of_user(std::int64_t user_id,
                                 const std::string& keep_token_hash) override;
  std::vector<Session> list_of_user(std::int64_t user_id) override;
  std::vector<std::string> token_hashes_of_user_oldest_first(std::int64_t user_id) override;
  std::size_t purge_expired(UnixSeconds now, std::int64_t idle_seconds) override;
  std::size_t count_live(UnixSeconds now, std::int64_t idle_seconds) override;

 private:
  Connection& writer();

  Database& db_;
};

}  // namespace stork
