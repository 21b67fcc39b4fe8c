#include "accounts/sqlite_signup_throttle_store.hpp"

namespace stork {

AttemptWindow SqliteSignupThrottleStore::record_attempt(const std::string& address,
                                                        UnixSeconds now,
                                                        std::int64_t window_seconds) {
  // One statement: two processes counting at once cannot both read the
  // old count (the upsert is atomic under SQLite's write lock).
  auto q = db_.connection().prepare(
      "INSERT INTO signup_attempts (address, window_start, attempts) VALUES (?1, ?2, 1) "
      "ON CONFLICT(address) DO UPDATE SET "
      "attempts = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE attempts + 1 END, "
      "window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END "
      "RETURNING attempts, window_start");
  q->bind(1, address);
  q->bind(2, now);
  q->bind(3, window_seconds);
  AttemptWindow out;
  if (q->executeStep()) {
    out.attempts = q->getColumn(0).getInt64();
    out.window_ends = q->getColumn(1).getInt64() + window_seconds;
  }
  while (q->executeStep()) {
  }
  return out;
}

std::size_t SqliteSignupThrottleStore::purge(UnixSeconds now, std::int64_t window_seconds) {
  auto q = db_.connection().prepare("DELETE FROM signup_attempts WHERE window_start + ? <= ?");
  q->bind(1, window_seconds);
  q->bind(2, now);
  return static_cast<std::size_t>(q->exec());
}

}  // namespace stork
