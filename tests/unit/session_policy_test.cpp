#include "sessions/session_policy.hpp"

#include <doctest/doctest.h>

using namespace stork;

namespace {

constexpr UnixSeconds kT0 = 1'700'000'000;

Session session_at(const SessionPolicy& policy, UnixSeconds created, bool remember) {
  Session s;
  s.created_at = created;
  s.last_seen_at = created;
  s.remember = remember;
  s.absolute_expires_at = policy.absolute_expiry(created, remember);
  return s;
}

}  // namespace

TEST_CASE("default policy numbers") {
  const SessionPolicy p;
  CHECK(p.idle_seconds == 1800);
  CHECK(p.absolute_seconds_remember == 604800);
  CHECK(p.absolute_seconds_browser == 43200);
  CHECK(p.touch_interval_seconds == 60);
}

TEST_CASE("absolute expiry depends on remember") {
  const SessionPolicy p;
  CHECK(p.absolute_expiry(kT0, true) == kT0 + 7 * 24 * 3600);
  CHECK(p.absolute_expiry(kT0, false) == kT0 + 12 * 3600);
}

TEST_CASE("idle expiry: alive until idle_seconds after the last activity") {
  const SessionPolicy p;
  Session s = session_at(p, kT0, false);
  CHECK(p.idle_expiry(s) == kT0 + 1800);
  CHECK(p.is_live(s, kT0));
  CHECK(p.is_live(s, kT0 + 1799));
  CHECK_FALSE(p.is_live(s, kT0 + 1800));
  s.last_seen_at = kT0 + 1000;
  CHECK(p.is_live(s, kT0 + 2799));
  CHECK_FALSE(p.is_live(s, kT0 + 2800));
}

TEST_CASE("expires_at is the earlier of idle and absolute expiry") {
  const SessionPolicy p;
  SUBCASE("idle first") {
    const Session s = session_at(p, kT0, true);
    CHECK(p.expires_at(s) == kT0 + 1800);
  }
  SUBCASE("absolute first: activity cannot extend a session past its absolute end") {
    Session s = session_at(p, kT0, false);
    s.last_seen_at = kT0 + 12 * 3600 - 10;
    CHECK(p.expires_at(s) == kT0 + 12 * 3600);
    CHECK(p.is_live(s, kT0 + 12 * 3600 - 1));
    CHECK_FALSE(p.is_live(s, kT0 + 12 * 3600));
  }
  SUBCASE("remember lasts a week at most even when active") {
    Session s = session_at(p, kT0, true);
    s.last_seen_at = kT0 + 604800 - 5;
    CHECK(p.expires_at(s) == kT0 + 604800);
  }
}

TEST_CASE("needs_touch at most every touch interval") {
  const SessionPolicy p;
  const Session s = session_at(p, kT0, false);
  CHECK_FALSE(p.needs_touch(s, kT0));
  CHECK_FALSE(p.needs_touch(s, kT0 + 59));
  CHECK(p.needs_touch(s, kT0 + 60));
  CHECK(p.needs_touch(s, kT0 + 61));
}

TEST_CASE("cookie Max-Age only for remembered sessions") {
  const SessionPolicy p;
  CHECK_FALSE(p.cookie_max_age(false).has_value());
  REQUIRE(p.cookie_max_age(true).has_value());
  CHECK(*p.cookie_max_age(true) == 604800);
}
