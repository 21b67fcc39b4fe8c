// RefreshTokens: the rotation of sign-ins kept in partitioned storage, on
// real SQLite stores; time is an argument, moved by the test.

#include "sessions/refresh_tokens.hpp"

#include "accounts/sqlite_account_store.hpp"
#include "sessions/sqlite_refresh_token_store.hpp"
#include "sessions/sqlite_session_store.hpp"
#include "sessions/token.hpp"
#include "storage/database.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace stork;

namespace {

constexpr UnixSeconds kT0 = 1'700'000'000;

struct World {
  test::TempDir dir;
  Database db{dir.file("kept.db")};
  SqliteSessionStore session_store{db};
  SqliteRefreshTokenStore refresh_store{db};
  SessionService sessions{session_store, SessionPolicy{}};
  RefreshTokens refresh{refresh_store, sessions};
  std::int64_t user = 0;

  World() {
    SqliteAccountStore accounts(db);
    user = accounts.add({"kept", "Kay", "Kept", "$argon2id$unused"}, 0).value().id;
  }
  const SessionPolicy& policy() const { return sessions.policy(); }
  bool signed_in(const std::string& access, UnixSeconds now) {
    return sessions.resolve(access, now).has_value();
  }
};

}  // namespace

TEST_CASE("a kept sign-in hands out a short-lived access token and a refresh token") {
  World w;
  const KeptSignIn kept = w.refresh.start(w.user, {"UA", "pub", "https://a.example"}, kT0);
  CHECK(is_well_formed_token(kept.refresh));
  CHECK(kept.refresh != kept.session.token);
  CHECK(kept.session.session.remember);
  CHECK(kept.session.session.token_expires_at == kT0 + w.policy().access_token_seconds);
  CHECK(w.signed_in(kept.session.token, kT0 + w.policy().access_token_seconds - 1));
  // The access token dies on its own; the session behind it does not.
  CHECK_FALSE(w.signed_in(kept.session.token, kT0 + w.policy().access_token_seconds));
  CHECK(w.session_store.list_of_user(w.user).size() == 1);
  // Stored hashed: the plain token is no key of the store.
  CHECK_FALSE(w.refresh_store.find(kept.refresh).has_value());
  CHECK(w.refresh_store.find(hash_token(kept.refresh)).has_value());
}

TEST_CASE("refresh rotates both tokens; the old ones stop working at once") {
  World w;
  const KeptSignIn first = w.refresh.start(w.user, {}, kT0);
  const UnixSeconds later = kT0 + w.policy().access_token_seconds + 30;  // access token expired
  const RefreshResult r = w.refresh.refresh(first.refresh, later);
  REQUIRE(r.outcome == RefreshOutcome::ok);
  const KeptSignIn& next = *r.kept;
  CHECK(next.refresh != first.refresh);
  CHECK(next.session.token != first.session.token);
  CHECK(next.session.session.public_id == first.session.session.public_id);  // one session
  CHECK(next.session.session.token_expires_at == later + w.policy().access_token_seconds);
  CHECK(w.signed_in(next.session.token, later));
  CHECK_FALSE(w.signed_in(first.session.token, kT0 + 1));  // gone, not merely expired
  CHECK(w.session_store.list_of_user(w.user).size() == 1);
  // The next rotation works from the new refresh token.
  CHECK(w.refresh.refresh(next.refresh, later + 5).outcome == RefreshOutcome::ok);
}

TEST_CASE("a spent refresh token presented again ends the whole sign-in") {
  World w;
  const KeptSignIn first = w.refresh.start(w.user, {}, kT0);
  const RefreshResult second = w.refresh.refresh(first.refresh, kT0 + 10);
  REQUIRE(second.outcome == RefreshOutcome::ok);
  const RefreshResult third = w.refresh.refresh(second.kept->refresh, kT0 + 20);
  REQUIRE(third.outcome == RefreshOutcome::ok);
  // An attacker replays the copy they took of the first one.
  CHECK(w.refresh.refresh(first.refresh, kT0 + 30).outcome == RefreshOutcome::reused);
  CHECK_FALSE(w.signed_in(third.kept->session.token, kT0 + 31));
  CHECK(w.session_store.list_of_user(w.user).empty());
  CHECK(w.refresh.refresh(third.kept->refresh, kT0 + 32).outcome == RefreshOutcome::invalid);
}

TEST_CASE("the idle timeout and the absolute timeout end a kept sign-in") {
  SUBCASE("idle") {
    World w;
    const KeptSignIn kept = w.refresh.start(w.user, {}, kT0);
    const UnixSeconds idle = kT0 + w.policy().idle_seconds;
    CHECK(w.refresh.refresh(kept.refresh, idle).outcome == RefreshOutcome::ended);
    CHECK(w.session_store.list_of_user(w.user).empty());
  }
  SUBCASE("absolute, however often it is refreshed") {
    World w;
    KeptSignIn kept = w.refresh.start(w.user, {}, kT0);
    const UnixSeconds end = kT0 + w.policy().absolute_seconds_remember;
    UnixSeconds now = kT0;
    while (now + 600 < end) {
      now += 600;
      RefreshResult r = w.refresh.refresh(kept.refresh, now);
      REQUIRE(r.outcome == RefreshOutcome::ok);
      CHECK(r.kept->session.session.token_expires_at <= end);
      kept = std::move(*r.kept);
    }
    CHECK(w.refresh.refresh(kept.refresh, end).outcome == RefreshOutcome::ended);
  }
}

TEST_CASE("logout and a password change end a kept sign-in as they end a cookie session") {
  SUBCASE("logout") {
    World w;
    const KeptSignIn kept = w.refresh.start(w.user, {}, kT0);
    REQUIRE(w.sessions.end(kept.session.token));
    w.refresh.forget(kept.session.session.public_id);
    CHECK(w.refresh.refresh(kept.refresh, kT0 + 1).outcome == RefreshOutcome::invalid);
  }
  SUBCASE("password changed on another device: every other session ends") {
    World w;
    const KeptSignIn kept = w.refresh.start(w.user, {}, kT0);
    w.session_store.remove_all_of_user(w.user, {});
    CHECK(w.refresh.refresh(kept.refresh, kT0 + 1).outcome == RefreshOutcome::ended);
    CHECK(w.refresh.refresh(kept.refresh, kT0 + 2).outcome == RefreshOutcome::invalid);
  }
  SUBCASE("password changed in this kept sign-in: it continues under a new token") {
    World w;
    const KeptSignIn kept = w.refresh.start(w.user, {}, kT0);
    const auto current = w.sessions.resolve(kept.session.token, kT0 + 5);
    REQUIRE(current.has_value());
    const StartedSession rotated = w.sessions.rotate(*current, kT0 + 5);
    CHECK(rotated.session.token_expires_at == kT0 + 5 + w.policy().access_token_seconds);
    CHECK(w.refresh.refresh(kept.refresh, kT0 + 10).outcome == RefreshOutcome::ok);
  }
}

TEST_CASE("malformed and unknown refresh tokens are refused without touching anything") {
  World w;
  const KeptSignIn kept = w.refresh.start(w.user, {}, kT0);
  CHECK(w.refresh.refresh("", kT0).outcome == RefreshOutcome::invalid);
  CHECK(w.refresh.refresh("not a token", kT0).outcome == RefreshOutcome::invalid);
  CHECK(w.refresh.refresh(new_session_token(), kT0).outcome == RefreshOutcome::invalid);
  CHECK(w.refresh.refresh(kept.session.token, kT0).outcome == RefreshOutcome::invalid);  // access != refresh
  CHECK(w.refresh.refresh(kept.refresh, kT0 + 1).outcome == RefreshOutcome::ok);
}

TEST_CASE("purge keeps what a live session may still present") {
  World w;
  const KeptSignIn kept = w.refresh.start(w.user, {}, kT0);
  CHECK(w.refresh.purge(kT0 + w.policy().absolute_seconds_remember - 1) == 0);
  CHECK(w.refresh_store.find(hash_token(kept.refresh)).has_value());
  CHECK(w.refresh.purge(kT0 + w.policy().absolute_seconds_remember) == 1);
}
