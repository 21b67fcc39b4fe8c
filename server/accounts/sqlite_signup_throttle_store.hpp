#pragma once

#include "accounts/signup_throttle_store.hpp"
#include "storage/database.hpp"

namespace stork {

class SqliteSignupThrottleStore final : public SignupThrottleStore {
 public:
  explicit SqliteSignupThrottleStore(Database& db) : db_(db) {}

  AttemptWindow record_attempt(const std::string& address, UnixSeconds now,
                               std::int64_t window_seconds) override;
  std::size_t purge(UnixSeconds now, std::int64_t window_seconds) override;

 private:
  Database& db_;
};

}  // namespace stork
