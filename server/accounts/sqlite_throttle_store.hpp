#pragma once
// ThrottleStore on the SQLite file. lock() is a plain read: inside a
// UnitOfWork, BEGIN IMMEDIATE already holds the file's write lock, so no
// other admission, in this process or another, runs between the read and
// the save.

#include "accounts/throttle_store.hpp"
#include "storage/database.hpp"

namespace stork {

class SqliteThrottleStore final : public ThrottleStore {
 public:
  explicit SqliteThrottleStore(Database& db) : db_(db) {}

  ThrottleEntry lock(const std::string& key) override;
  void save(const std::string& key, const ThrottleEntry& entry) override;
  void remove(const std::string& key) override;
  std::size_t purge(UnixSeconds now, UnixSeconds forget_before, UnixSeconds stale_before) override;

  void trust_device(const std::string& token_hash, std::int64_t user_id, UnixSeconds now) override;
  std::optional<std::int64_t> trusted_device_user(const std::string& token_hash) override;
  void distrust_device(const std::string& token_hash) override;
  std::size_t purge_devices(UnixSeconds issued_before) override;

 private:
  Database& db_;
};

}  // namespace stork
