// The idle timeout (ASVS V3.3.2) holds for every timeout the server
// accepts: a session in use is never ended as idle, whatever the timeout.

#include "in_process_server.hpp"

#include "sessions/session_service.hpp"
#include "sessions/sqlite_session_store.hpp"

#include <doctest/doctest.h>

using namespace stork;
using namespace stork::test;

TEST_CASE("idle timeout: a session used more often than its timeout stays alive, for every accepted timeout") {
  TempDir dir;
  Database db(dir.file("idle.db"));
  db.connection().db().exec(
      "INSERT INTO users (id, username, first_name, last_name, password_hash, created_at) VALUES (1, 'u', 'U', 'V', 'x', 0)");
  SqliteSessionStore store(db);
  for (const std::int64_t idle : {std::int64_t{kMinIdleSeconds}, std::int64_t{15}, std::int64_t{30},
                                  std::int64_t{59}, std::int64_t{60}, std::int64_t{600}, std::int64_t{1800}}) {
    CAPTURE(idle);
    SessionPolicy policy;
    policy.idle_seconds = idle;
    SessionService sessions(store, policy);
    const UnixSeconds t0 = 1'700'000'000;
    const StartedSession started = sessions.start(1, false, {}, t0);
    // Requests as far apart as the guarantee in session_policy.hpp allows
    // (the touch interval is a tenth of the timeout), for ten timeouts.
    const std::int64_t gap = idle - idle / 10 - 1;
    REQUIRE(gap > 0);
    UnixSeconds now = t0;
    bool alive = true;
    while (alive && now < t0 + 10 * idle) {
      now += gap;
      alive = sessions.resolve(started.token, now).has_value();
    }
    CHECK(alive);
    // And left alone for one timeout, it ends.
    CHECK_FALSE(sessions.resolve(started.token, now + idle).has_value());
  }
}

TEST_CASE("idle timeout: last-seen is written at most once per touch interval") {
  SessionPolicy policy;
  policy.idle_seconds = 1800;
  CHECK(policy.touch_interval() == 60);
  policy.idle_seconds = 30;
  CHECK(policy.touch_interval() == 3);
  policy.idle_seconds = kMinIdleSeconds;
  CHECK(policy.touch_interval() == 1);
}
