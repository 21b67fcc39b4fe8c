#include "sessions/session_service.hpp"

#include "memory_session_store.hpp"
#include "sessions/token.hpp"

#include <doctest/doctest.h>

using namespace stork;

namespace {

constexpr UnixSeconds kT0 = 1'700'000'000;

// Counts writes, so "touches at most once per interval" is observable.
class CountingStore final : public SessionStore {
 public:
  int touches = 0;
  test::MemorySessionStore inner;

  void insert(const std::string& h, const Session& s) override { inner.insert(h, s); }
  std::optional<Session> find(const std::string& h) override { return inner.find(h); }
  void touch(const std::string& h, UnixSeconds now) override {
    ++touches;
    inner.touch(h, now);
  }
  bool remove(const std::string& h) override { return inner.remove(h); }
  bool remove_by_public_id(std::int64_t u, const std::string& id) override {
    return inner.remove_by_public_id(u, id);
  }
  std::size_t remove_all_of_user(std::int64_t u, const std::string& keep) override {
    return inner.remove_all_of_user(u, keep);
  }
  std::vector<Session> list_of_user(std::int64_t u) override { return inner.list_of_user(u); }
  std::vector<std::string> token_hashes_of_user_oldest_first(std::int64_t u) override {
    return inner.token_hashes_of_user_oldest_first(u);
  }
  std::size_t purge_expired(UnixSeconds now, std::int64_t idle) override {
    return inner.purge_expired(now, idle);
  }
  std::size_t count_live(UnixSeconds now, std::int64_t idle) override {
    return inner.count_live(now, idle);
  }
};

const SessionOrigin kOrigin{"TestBrowser/1.0", "acme", "https://acme.example"};

}  // namespace

TEST_CASE("start: a fresh token, stored only as its hash, with the policy's expiry") {
  CountingStore store;
  SessionService service(store, SessionPolicy{});
  const StartedSession a = service.start(7, false, kOrigin, kT0);
  CHECK(is_well_formed_token(a.token));
  CHECK(a.session.user_id == 7);
  CHECK(a.session.created_at == kT0);
  CHECK(a.session.last_seen_at == kT0);
  CHECK(a.session.absolute_expires_at == kT0 + 12 * 3600);
  CHECK(a.session.user_agent == "TestBrowser/1.0");
  CHECK(a.session.publisher == "acme");
  CHECK(a.session.public_id.size() == 32);
  CHECK(store.find(hash_token(a.token)).has_value());
  CHECK_FALSE(store.find(a.token).has_value());

  const StartedSession b = service.start(7, true, kOrigin, kT0);
  CHECK(b.token != a.token);
  CHECK(b.session.public_id != a.session.public_id);
  CHECK(b.session.absolute_expires_at == kT0 + 604800);
}

TEST_CASE("start ends the session the client came with (no fixation)") {
  CountingStore store;
  SessionService service(store, SessionPolicy{});
  const StartedSession before = service.start(1, false, kOrigin, kT0);
  const StartedSession after = service.start(1, false, kOrigin, kT0 + 5, before.token);
  CHECK(after.token != before.token);
  CHECK_FALSE(service.resolve(before.token, kT0 + 6).has_value());
  CHECK(service.resolve(after.token, kT0 + 6).has_value());
  // A malformed previous token is ignored, not an error.
  CHECK_NOTHROW(service.start(1, false, kOrigin, kT0, "not a token"));
}

TEST_CASE("start clips what the client can make us store") {
  CountingStore store;
  SessionService service(store, SessionPolicy{});
  const SessionOrigin huge{std::string(5000, 'u'), std::string(500, 'p'), std::string(5000, 't')};
  const StartedSession s = service.start(1, false, huge, kT0);
  const auto stored = store.find(hash_token(s.token));
  REQUIRE(stored.has_value());
  CHECK(stored->user_agent.size() == 256);
  CHECK(stored->publisher.size() == 64);
  CHECK(stored->top_site.size() == 256);
}

TEST_CASE("resolve: unknown, malformed and expired tokens are no session") {
  CountingStore store;
  SessionService service(store, SessionPolicy{});
  CHECK_FALSE(service.resolve(new_session_token(), kT0).has_value());
  CHECK_FALSE(service.resolve("", kT0).has_value());
  CHECK_FALSE(service.resolve("x' OR 1=1 --", kT0).has_value());

  const StartedSession s = service.start(1, false, kOrigin, kT0);
  const auto resolved = service.resolve(s.token, kT0 + 10);
  REQUIRE(resolved.has_value());
  CHECK(resolved->token == s.token);
  CHECK(resolved->token_hash == hash_token(s.token));
  CHECK(resolved->session.public_id == s.session.public_id);

  SUBCASE("idle too long: gone, and removed from the store") {
    CHECK_FALSE(service.resolve(s.token, kT0 + 10 + 1800).has_value());
    CHECK_FALSE(store.find(hash_token(s.token)).has_value());
  }
  SUBCASE("past the absolute expiry, however active") {
    UnixSeconds t = kT0;
    while (t < kT0 + 12 * 3600 - 1000) {
      t += 1000;
      REQUIRE(service.resolve(s.token, t).has_value());
    }
    CHECK_FALSE(service.resolve(s.token, kT0 + 12 * 3600).has_value());
    CHECK_FALSE(store.find(hash_token(s.token)).has_value());
  }
}

TEST_CASE("resolve touches at most once per touch interval") {
  CountingStore store;
  SessionService service(store, SessionPolicy{});
  const StartedSession s = service.start(1, false, kOrigin, kT0);
  for (int i = 0; i < 30; ++i) REQUIRE(service.resolve(s.token, kT0 + i).has_value());
  CHECK(store.touches == 0);
  CHECK(store.find(hash_token(s.token))->last_seen_at == kT0);

  const auto touched = service.resolve(s.token, kT0 + 60);
  REQUIRE(touched.has_value());
  CHECK(touched->session.last_seen_at == kT0 + 60);
  CHECK(store.touches == 1);
  CHECK(store.find(hash_token(s.token))->last_seen_at == kT0 + 60);

  for (int i = 61; i < 120; ++i) REQUIRE(service.resolve(s.token, kT0 + i).has_value());
  CHECK(store.touches == 1);
  REQUIRE(service.resolve(s.token, kT0 + 120).has_value());
  CHECK(store.touches == 2);
}

TEST_CASE("touching keeps an active session alive past the idle timeout") {
  CountingStore store;
  SessionService service(store, SessionPolicy{});
  const StartedSession s = service.start(1, true, kOrigin, kT0);
  for (UnixSeconds t = kT0; t <= kT0 + 3 * 1800; t += 600) REQUIRE(service.resolve(s.token, t).has_value());
}

TEST_CASE("end removes the session") {
  CountingStore store;
  SessionService service(store, SessionPolicy{});
  const StartedSession s = service.start(1, false, kOrigin, kT0);
  CHECK(service.end(s.token));
  CHECK_FALSE(service.end(s.token));
  CHECK_FALSE(service.end("malformed"));
  CHECK_FALSE(service.resolve(s.token, kT0).has_value());
}

TEST_CASE("rotate: new token, same public id and facts; the old token is dead") {
  CountingStore store;
  SessionService service(store, SessionPolicy{});
  const StartedSession s = service.start(3, true, kOrigin, kT0);
  const auto resolved = service.resolve(s.token, kT0 + 5);
  REQUIRE(resolved.has_value());
  const StartedSession rotated = service.rotate(*resolved, kT0 + 100);
  CHECK(rotated.token != s.token);
  CHECK(rotated.session.public_id == s.session.public_id);
  CHECK(rotated.session.created_at == kT0);
  CHECK(rotated.session.absolute_expires_at == s.session.absolute_expires_at);
  CHECK(rotated.session.last_seen_at == kT0 + 100);
  CHECK_FALSE(service.resolve(s.token, kT0 + 101).has_value());
  const auto again = service.resolve(rotated.token, kT0 + 101);
  REQUIRE(again.has_value());
  CHECK(again->session.public_id == s.session.public_id);
  CHECK(store.list_of_user(3).size() == 1);
}

TEST_CASE("beyond the per-user cap the oldest sessions end") {
  CountingStore store;
  SessionPolicy policy;
  policy.max_sessions_per_user = 3;
  SessionService service(store, policy);
  std::vector<StartedSession> started;
  for (int i = 0; i < 5; ++i) started.push_back(service.start(1, false, kOrigin, kT0 + i));
  const StartedSession other_user = service.start(2, false, kOrigin, kT0);

  CHECK(store.list_of_user(1).size() == 3);
  CHECK_FALSE(service.resolve(started[0].token, kT0 + 10).has_value());
  CHECK_FALSE(service.resolve(started[1].token, kT0 + 10).has_value());
  for (int i = 2; i < 5; ++i) CHECK(service.resolve(started[static_cast<std::size_t>(i)].token, kT0 + 10).has_value());
  CHECK(service.resolve(other_user.token, kT0 + 10).has_value());
}
