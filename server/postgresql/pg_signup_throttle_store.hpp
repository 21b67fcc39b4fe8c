#pragma once
// Sign-up attempts per client address in PostgreSQL, counted across every
// process on the database.
//
// Isolation: READ COMMITTED; record_attempt is one INSERT ... ON CONFLICT
// DO UPDATE, which locks the address's row, so concurrent attempts from
// one address (through any process) are counted one after the other and
// none is lost.

#include "accounts/signup_throttle_store.hpp"
#include "postgresql/pg_database.hpp"

namespace stork {

class PgSignupThrottleStore final : public SignupThrottleStore {
 public:
  explicit PgSignupThrottleStore(pg::Database& db) : db_(db) {}

  AttemptWindow record_attempt(const std::string& address, UnixSeconds now,
                               std::int64_t window_seconds) override;
  std::size_t purge(UnixSeconds now, std::int64_t window_seconds) override;

 private:
  pg::Database& db_;
};

}  // namespace stork
