#include "postgresql/pg_signup_throttle_store.hpp"

namespace stork {

using pg::Connection;
using pg::Params;
using pg::Result;

AttemptWindow PgSignupThrottleStore::record_attempt(const std::string& address, UnixSeconds now,
                                                    std::int64_t window_seconds) {
  return db_.run([&](Connection& c) {
    const Result r = c.query(
        "INSERT INTO signup_attempts AS a (address, window_start, attempts) VALUES ($1, $2, 1) "
        "ON CONFLICT (address) DO UPDATE SET "
        "attempts = CASE WHEN a.window_start + $3 <= $2 THEN 1 ELSE a.attempts + 1 END, "
        "window_start = CASE WHEN a.window_start + $3 <= $2 THEN $2 ELSE a.window_start END "
        "RETURNING attempts, window_start",
        Params(address, now, window_seconds));
    return AttemptWindow{r.int64(0, 0), r.int64(0, 1) + window_seconds};
  });
}

std::size_t PgSignupThrottleStore::purge(UnixSeconds now, std::int64_t window_seconds) {
  return db_.run([&](Connection& c) {
    return static_cast<std::size_t>(
        c.query("DELETE FROM signup_attempts WHERE window_start + $1 <= $2", Params(window_seconds, now))
            .affected());
  });
}

}  // namespace stork
