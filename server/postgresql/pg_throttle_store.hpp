#pragma once
// The guess limits' counts in PostgreSQL, shared by every process: three
// processes do not give a guesser three times the tries.
//
// Isolation: READ COMMITTED plus a row lock. lock() runs inside the
// caller's unit of work: it makes sure the key has a row (INSERT ... ON
// CONFLICT DO NOTHING, so the first admission on a new key has a row to
// lock too), then takes it FOR UPDATE. A second admission on the key, on
// any connection of any process, waits there until the first one's unit
// commits, then reads what it saved. SERIALIZABLE would instead abort one
// of two concurrent admissions and rerun it; the lock gets the same
// order without the wasted work. One key per unit, so no lock cycle.

#include "accounts/throttle_store.hpp"
#include "postgresql/pg_database.hpp"

namespace stork {

class PgThrottleStore final : public ThrottleStore {
 public:
  explicit PgThrottleStore(pg::Database& db) : db_(db) {}

  ThrottleEntry lock(const std::string& key) override;
  void save(const std::string& key, const ThrottleEntry& entry) override;
  void remove(const std::string& key) override;
  std::size_t purge(UnixSeconds now, UnixSeconds forget_before, UnixSeconds stale_before) override;

  void trust_device(const std::string& token_hash, std::int64_t user_id, UnixSeconds now) override;
  std::optional<std::int64_t> trusted_device_user(const std::string& token_hash) override;
  void distrust_device(const std::string& token_hash) override;
  std::size_t purge_devices(UnixSeconds issued_before) override;

 private:
  pg::Database& db_;
};

}  // namespace stork
