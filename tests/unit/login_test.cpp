#include "accounts/login_service.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <mutex>
#include <thread>
#include <vector>

using namespace stork;

namespace {

constexpr UnixSeconds kT0 = 1'700'000'000;

}  // namespace

TEST_CASE("LoginThrottle: per account, 1 s doubling up to 5 minutes") {
  test::TempDir dir;
  Database db(dir.file("throttle.db"));
  LoginThrottle throttle(db);
  CHECK(throttle.wait_seconds("alice", "10.0.0.1", kT0) == 0);
  const std::int64_t expected[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300};
  UnixSeconds now = kT0;
  int n = 0;
  for (const std::int64_t delay : expected) {
    CAPTURE(n);
    // A different address each time: this is the account's back-off alone.
    const std::string address = "10.0.1." + std::to_string(n++);
    throttle.record_failure("alice", address, now);
    CHECK(throttle.wait_seconds("alice", "192.0.2.1", now) == delay);
    CHECK(throttle.wait_seconds("alice", "192.0.2.1", now + delay - 1) == 1);
    CHECK(throttle.wait_seconds("alice", "192.0.2.1", now + delay) == 0);
    CHECK(throttle.wait_seconds("bob", "192.0.2.1", now) == 0);  // other accounts unaffected
    now += delay;
  }
}

TEST_CASE("LoginThrottle: an hour without failures forgets them") {
  test::TempDir dir;
  Database db(dir.file("throttle.db"));
  LoginThrottle throttle(db);
  for (int i = 0; i < 5; ++i) throttle.record_failure("alice", "10.0.0." + std::to_string(i), kT0 + i * 100);
  CHECK(throttle.wait_seconds("alice", "x", kT0 + 400) == 16);
  throttle.record_failure("alice", "10.0.0.9", kT0 + 400 + 3601);
  CHECK(throttle.wait_seconds("alice", "x", kT0 + 400 + 3601) == 1);
}

TEST_CASE("LoginThrottle: an address is blocked for 10 minutes after 10 failures") {
  test::TempDir dir;
  Database db(dir.file("throttle.db"));
  LoginThrottle throttle(db);
  for (int i = 0; i < 9; ++i) {
    throttle.record_failure("user" + std::to_string(i), "198.51.100.7", kT0);
    CHECK(throttle.wait_seconds("fresh-user", "198.51.100.7", kT0) == 0);
  }
  throttle.record_failure("user9", "198.51.100.7", kT0);
  CHECK(throttle.wait_seconds("fresh-user", "198.51.100.7", kT0) == 600);
  CHECK(throttle.wait_seconds("fresh-user", "198.51.100.7", kT0 + 599) == 1);
  CHECK(throttle.wait_seconds("fresh-user", "198.51.100.7", kT0 + 600) == 0);
  CHECK(throttle.wait_seconds("fresh-user", "198.51.100.8", kT0) == 0);
}

TEST_CASE("LoginThrottle: success resets the account's back-off") {
  test::TempDir dir;
  Database db(dir.file("throttle.db"));
  LoginThrottle throttle(db);
  for (int i = 0; i < 4; ++i) throttle.record_failure("alice", "10.0.0.1", kT0);
  CHECK(throttle.wait_seconds("alice", "10.0.0.1", kT0) == 8);
  throttle.record_success("alice");
  CHECK(throttle.wait_seconds("alice", "10.0.0.1", kT0) == 0);
  throttle.record_failure("alice", "10.0.0.1", kT0);
  CHECK(throttle.wait_seconds("alice", "10.0.0.1", kT0) == 1);  // counting starts over
}

TEST_CASE("LoginThrottle: state survives a restart") {
  test::TempDir dir;
  const std::string path = dir.file("throttle.db");
  {
    Database db(path);
    LoginThrottle throttle(db);
    for (int i = 0; i < 3; ++i) throttle.record_failure("alice", "10.0.0." + std::to_string(i), kT0);
    for (int i = 0; i < 10; ++i) throttle.record_failure("u" + std::to_string(i), "203.0.113.5", kT0);
  }
  Database db(path);
  LoginThrottle restarted(db);
  CHECK(restarted.wait_seconds("alice", "10.9.9.9", kT0) == 4);
  CHECK(restarted.wait_seconds("nobody", "203.0.113.5", kT0 + 100) == 500);
}

namespace {

struct LoginFixture {
  test::TempDir dir;
  Database db{dir.file("login.db")};
  Accounts accounts{db};
  LoginThrottle throttle{db};
  Argon2Params params = test::cheap_argon2();

  std::int64_t add_user(const std::string& name, const std::string& password,
                        const Argon2Params& with) {
    const auto user = accounts.add(name, "First", "Last", hash_password(password, with), kT0);
    REQUIRE(user.has_value());
    return user->id;
  }
};

}  // namespace

TEST_CASE("LoginService: right password signs in; unknown user and wrong password look the same") {
  LoginFixture f;
  const std::int64_t id = f.add_user("alice", "alice-password-1", f.params);
  LoginService logins(f.accounts, f.throttle, f.params, 2);

  const LoginResult ok = logins.attempt("alice", "alice-password-1", "10.0.0.1", kT0);
  CHECK(ok.outcome == LoginOutcome::ok);
  REQUIRE(ok.user.has_value());
  CHECK(ok.user->id == id);
  CHECK(ok.user->username == "alice");

  const LoginResult wrong = logins.attempt("alice", "not-her-password", "10.0.0.2", kT0);
  const LoginResult unknown = logins.attempt("mallory", "alice-password-1", "10.0.0.3", kT0);
  CHECK(wrong.outcome == LoginOutcome::invalid_credentials);
  CHECK(unknown.outcome == LoginOutcome::invalid_credentials);
  CHECK_FALSE(wrong.user.has_value());
  CHECK_FALSE(unknown.user.has_value());
  CHECK(wrong.retry_after_seconds == unknown.retry_after_seconds);
  // Unknown accounts are throttled like real ones: no enumeration by timing of the back-off.
  CHECK(f.throttle.wait_seconds("mallory", "192.0.2.9", kT0) == 1);
}

TEST_CASE("LoginService: a disabled user cannot sign in, even with the right password") {
  LoginFixture f;
  const std::int64_t id = f.add_user("carol", "carol-password-1", f.params);
  f.accounts.set_disabled(id, true);
  LoginService logins(f.accounts, f.throttle, f.params, 2);
  const LoginResult r = logins.attempt("carol", "carol-password-1", "10.0.0.1", kT0);
  CHECK(r.outcome == LoginOutcome::invalid_credentials);
  CHECK_FALSE(r.user.has_value());
}

TEST_CASE("LoginService: throttled attempts are refused before any hashing") {
  LoginFixture f;
  f.add_user("dave", "dave-password-1", f.params);
  LoginService logins(f.accounts, f.throttle, f.params, 2);
  CHECK(logins.attempt("dave", "wrong-1", "10.0.0.1", kT0).outcome == LoginOutcome::invalid_credentials);
  const LoginResult blocked = logins.attempt("dave", "dave-password-1", "10.0.0.1", kT0);
  CHECK(blocked.outcome == LoginOutcome::throttled);
  CHECK(blocked.retry_after_seconds == 1);
  CHECK(logins.attempt("dave", "dave-password-1", "10.0.0.1", kT0 + 1).outcome == LoginOutcome::ok);
  // The success cleared the back-off.
  CHECK(f.throttle.wait_seconds("dave", "10.0.0.1", kT0 + 1) == 0);
}

TEST_CASE("LoginService: a hash made with older parameters is upgraded at sign-in") {
  LoginFixture f;
  const std::int64_t id = f.add_user("erin", "erin-password-1", f.params);
  const std::string before = *f.accounts.password_hash(id);

  Argon2Params raised = f.params;
  raised.ops_limit = 2;
  raised.mem_limit_bytes = 16 * 1024;
  LoginService logins(f.accounts, f.throttle, raised, 2);

  SUBCASE("a failed attempt changes nothing") {
    CHECK(logins.attempt("erin", "wrong-password", "10.0.0.1", kT0).outcome ==
          LoginOutcome::invalid_credentials);
    CHECK(*f.accounts.password_hash(id) == before);
  }
  SUBCASE("a successful one stores a hash with the new parameters") {
    CHECK(logins.attempt("erin", "erin-password-1", "10.0.0.1", kT0).outcome == LoginOutcome::ok);
    const std::string after = *f.accounts.password_hash(id);
    CHECK(after != before);
    CHECK(after.rfind("$argon2id$v=19$m=16,t=2,p=1$", 0) == 0);
    CHECK_FALSE(needs_rehash(after, raised));
    CHECK(verify_password("erin-password-1", after));
    // Next sign-in: nothing more to upgrade.
    CHECK(logins.attempt("erin", "erin-password-1", "10.0.0.1", kT0 + 1).outcome == LoginOutcome::ok);
    CHECK(*f.accounts.password_hash(id) == after);
  }
}

TEST_CASE("LoginService: verify and hash for password changes") {
  LoginFixture f;
  const std::int64_t id = f.add_user("fred", "fred-password-1", f.params);
  LoginService logins(f.accounts, f.throttle, f.params, 1);
  CHECK(logins.verify(id, "fred-password-1") == std::optional<bool>(true));
  CHECK(logins.verify(id, "nope") == std::optional<bool>(false));
  CHECK(logins.verify(9999, "fred-password-1") == std::optional<bool>(false));
  const auto h = logins.hash("a-new-password");
  REQUIRE(h.has_value());
  CHECK(verify_password("a-new-password", *h));
}

TEST_CASE("usernames") {
  CHECK(username_violation("alice").empty());
  CHECK(username_violation("user00001").empty());
  CHECK(username_violation("a.b_c-d").empty());
  CHECK_FALSE(username_violation("").empty());
  CHECK_FALSE(username_violation(std::string(65, 'a')).empty());
  CHECK_FALSE(username_violation("al ice").empty());
  CHECK_FALSE(username_violation("al\u00efce").empty());
  CHECK_FALSE(username_violation("alice;drop").empty());
}

TEST_CASE("HashingSlots: waiters are served in arrival order, and a timed-out waiter gives up its turn") {
  HashingSlots slots(1);
  REQUIRE(slots.acquire(std::chrono::milliseconds(0)));  // the only slot is taken

  // Nobody releases: a waiter times out and reports false.
  CHECK_FALSE(slots.acquire(std::chrono::milliseconds(20)));

  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([&, i] {
      if (slots.acquire(std::chrono::seconds(10))) {
        {
          std::lock_guard lock(order_mutex);
          order.push_back(i);
        }
        slots.release();
      }
    });
    // Arrive one after another, so the arrival order is known.
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  slots.release();
  for (auto& t : waiters) t.join();
  CHECK(order == std::vector<int>{0, 1, 2, 3});
  // All slots are back: a new arrival is served at once.
  CHECK(slots.acquire(std::chrono::milliseconds(0)));
}
