#include "accounts/login_service.hpp"
#include "accounts/sqlite_account_store.hpp"
#include "sessions/token.hpp"
#include "sqlite_throttle.hpp"

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
  test::SqliteLoginThrottle throttle_parts(db); LoginThrottle& throttle = throttle_parts.throttle;
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
  test::SqliteLoginThrottle throttle_parts(db); LoginThrottle& throttle = throttle_parts.throttle;
  for (int i = 0; i < 5; ++i) throttle.record_failure("alice", "10.0.0." + std::to_string(i), kT0 + i * 100);
  CHECK(throttle.wait_seconds("alice", "x", kT0 + 400) == 16);
  throttle.record_failure("alice", "10.0.0.9", kT0 + 400 + 3601);
  CHECK(throttle.wait_seconds("alice", "x", kT0 + 400 + 3601) == 1);
}

TEST_CASE("LoginThrottle: an address is blocked for 10 minutes after 10 failures") {
  test::TempDir dir;
  Database db(dir.file("throttle.db"));
  test::SqliteLoginThrottle throttle_parts(db); LoginThrottle& throttle = throttle_parts.throttle;
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
  test::SqliteLoginThrottle throttle_parts(db); LoginThrottle& throttle = throttle_parts.throttle;
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
    test::SqliteLoginThrottle throttle_parts(db); LoginThrottle& throttle = throttle_parts.throttle;
    for (int i = 0; i < 3; ++i) throttle.record_failure("alice", "10.0.0." + std::to_string(i), kT0);
    for (int i = 0; i < 10; ++i) throttle.record_failure("u" + std::to_string(i), "203.0.113.5", kT0);
  }
  Database db(path);
  test::SqliteLoginThrottle restarted_parts(db); LoginThrottle& restarted = restarted_parts.throttle;
  CHECK(restarted.wait_seconds("alice", "10.9.9.9", kT0) == 4);
  CHECK(restarted.wait_seconds("nobody", "203.0.113.5", kT0 + 100) == 500);
}

namespace {

struct LoginFixture {
  test::TempDir dir;
  Database db{dir.file("login.db")};
  SqliteAccountStore accounts{db};
  test::SqliteLoginThrottle throttle_parts{db};
  LoginThrottle& throttle = throttle_parts.throttle;
  Argon2Params params = test::cheap_argon2();

  std::int64_t add_user(const std::string& name, const std::string& password,
                        const Argon2Params& with) {
    const auto user = accounts.add({name, "First", "Last", hash_password(password, with)}, kT0);
    REQUIRE(user.has_value());
    return user->id;
  }
};

}  // namespace

TEST_CASE("LoginService: right password signs in; unknown user and wrong password look the same") {
  LoginFixture f;
  const std::int64_t id = f.add_user("alice", "alice-password-1", f.params);
  LoginService logins(f.accounts, f.throttle, f.params, 2);

  const LoginResult ok = logins.attempt("alice", "alice-password-1", {"10.0.0.1"}, kT0);
  CHECK(ok.outcome == LoginOutcome::ok);
  REQUIRE(ok.user.has_value());
  CHECK(ok.user->id == id);
  CHECK(ok.user->username == "alice");

  const LoginResult wrong = logins.attempt("alice", "not-her-password", {"10.0.0.2"}, kT0);
  const LoginResult unknown = logins.attempt("mallory", "alice-password-1", {"10.0.0.3"}, kT0);
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
  const LoginResult r = logins.attempt("carol", "carol-password-1", {"10.0.0.1"}, kT0);
  CHECK(r.outcome == LoginOutcome::invalid_credentials);
  CHECK_FALSE(r.user.has_value());
}

TEST_CASE("LoginService: throttled attempts are refused before any hashing") {
  LoginFixture f;
  f.add_user("dave", "dave-password-1", f.params);
  LoginService logins(f.accounts, f.throttle, f.params, 2);
  CHECK(logins.attempt("dave", "wrong-1", {"10.0.0.1"}, kT0).outcome == LoginOutcome::invalid_credentials);
  const LoginResult blocked = logins.attempt("dave", "dave-password-1", {"10.0.0.1"}, kT0);
  CHECK(blocked.outcome == LoginOutcome::throttled);
  CHECK(blocked.retry_after_seconds == 1);
  CHECK(logins.attempt("dave", "dave-password-1", {"10.0.0.1"}, kT0 + 1).outcome == LoginOutcome::ok);
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
    CHECK(logins.attempt("erin", "wrong-password", {"10.0.0.1"}, kT0).outcome ==
          LoginOutcome::invalid_credentials);
    CHECK(*f.accounts.password_hash(id) == before);
  }
  SUBCASE("a successful one stores a hash with the new parameters") {
    CHECK(logins.attempt("erin", "erin-password-1", {"10.0.0.1"}, kT0).outcome == LoginOutcome::ok);
    const std::string after = *f.accounts.password_hash(id);
    CHECK(after != before);
    CHECK(after.rfind("$argon2id$v=19$m=16,t=2,p=1$", 0) == 0);
    CHECK_FALSE(needs_rehash(after, raised));
    CHECK(verify_password("erin-password-1", after));
    // Next sign-in: nothing more to upgrade.
    CHECK(logins.attempt("erin", "erin-password-1", {"10.0.0.1"}, kT0 + 1).outcome == LoginOutcome::ok);
    CHECK(*f.accounts.password_hash(id) == after);
  }
}

TEST_CASE("LoginService: re-entering a password goes through the sign-in throttle") {
  LoginFixture f;
  const std::int64_t id = f.add_user("fred", "fred-password-1", f.params);
  LoginService logins(f.accounts, f.throttle, f.params, 1);
  const User fred = *f.accounts.find(id);
  CHECK(logins.reverify(fred, "fred-password-1", {"10.0.0.1"}, kT0).outcome == LoginOutcome::ok);
  CHECK(logins.reverify(fred, "nope", {"10.0.0.1"}, kT0).outcome == LoginOutcome::invalid_credentials);
  // The failure started the account's back-off, for sign-ins too.
  CHECK(logins.reverify(fred, "fred-password-1", {"10.0.0.1"}, kT0).outcome == LoginOutcome::throttled);
  CHECK(logins.attempt("fred", "fred-password-1", {"10.0.0.9"}, kT0).outcome == LoginOutcome::throttled);
  CHECK(logins.reverify(fred, "fred-password-1", {"10.0.0.1"}, kT0 + 1).outcome == LoginOutcome::ok);
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

TEST_CASE("address_key: IPv4 as it is, IPv6 per /64, IPv4-mapped IPv6 as IPv4") {
  CHECK(address_key("198.51.100.7") == "ip:198.51.100.7");
  CHECK(address_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd") == "ip:2001:db8:1:2::/64");
  CHECK(address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9"));
  CHECK(address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1"));
  CHECK(address_key("::ffff:198.51.100.7") == "ip:198.51.100.7");
  CHECK(account_key("Alice") == account_key("alice"));
}

TEST_CASE("LoginThrottle: attempts in flight count as failures at admission") {
  test::TempDir dir;
  Database db(dir.file("throttle.db"));
  test::SqliteLoginThrottle parts(db);
  LoginThrottle& throttle = parts.throttle;
  // One account: a second attempt is refused while the first is verified.
  const AttemptKeys alice{account_key("alice"), address_key("10.0.0.1"), {}};
  REQUIRE(throttle.admit(alice, kT0).admitted);
  CHECK_FALSE(throttle.admit(alice, kT0).admitted);
  throttle.settle(alice, Settlement::succeeded, kT0);
  CHECK(throttle.admit(alice, kT0).admitted);
  throttle.settle(alice, Settlement::succeeded, kT0);
  // One address, many accounts: no more in flight than failures it has left.
  int admitted = 0;
  std::vector<AttemptKeys> pending;
  for (int i = 0; i < 30; ++i) {
    const AttemptKeys k{account_key("user" + std::to_string(i)), address_key("192.0.2.7"), {}};
    if (throttle.admit(k, kT0).admitted) {
      ++admitted;
      pending.push_back(k);
    }
  }
  CHECK(admitted == 10);
  for (const auto& k : pending) throttle.settle(k, Settlement::failed, kT0);
  CHECK(throttle.wait_seconds("fresh", "192.0.2.7", kT0) == 600);
  // An admission whose process died stops counting after a while.
  const AttemptKeys bob{account_key("bob"), address_key("10.0.0.2"), {}};
  REQUIRE(throttle.admit(bob, kT0).admitted);
  CHECK_FALSE(throttle.admit(bob, kT0 + 29).admitted);
  CHECK(throttle.admit(bob, kT0 + 30).admitted);
}

TEST_CASE("LoginService: a device token exempts its owner from lockouts others caused") {
  LoginFixture f;
  f.add_user("gina", "gina-password-1", f.params);
  LoginService logins(f.accounts, f.throttle, f.params, 2);
  const LoginResult first = logins.attempt("gina", "gina-password-1", {"10.0.0.1"}, kT0);
  REQUIRE(first.outcome == LoginOutcome::ok);
  REQUIRE(is_well_formed_token(first.new_device_token));
  // A guesser elsewhere puts the account in back-off and blocks 10.0.0.1.
  for (int i = 0; i < 10; ++i) {
    logins.attempt("gina", "guess", {"10.0.0.1"}, kT0 + 1000 + i * 400);
  }
  const UnixSeconds later = kT0 + 1000 + 9 * 400;
  CHECK(logins.attempt("gina", "gina-password-1", {"10.0.0.1"}, later).outcome ==
        LoginOutcome::throttled);
  const LoginResult trusted =
      logins.attempt("gina", "gina-password-1", {"10.0.0.1", first.new_device_token}, later);
  CHECK(trusted.outcome == LoginOutcome::ok);
  CHECK(trusted.new_device_token.empty());  // it already has one
  // The device's own limit: 5 failures lock that device out.
  for (int i = 0; i < 5; ++i) {
    CHECK(logins.attempt("gina", "typo", {"10.0.0.1", first.new_device_token}, later + 10 + i * 2)
              .outcome == LoginOutcome::invalid_credentials);
  }
  CHECK(logins.attempt("gina", "gina-password-1", {"10.0.0.1", first.new_device_token}, later + 20)
            .outcome == LoginOutcome::throttled);
  // A token of another account, or a made-up one, is no device token.
  f.add_user("hank", "hank-password-1", f.params);
  CHECK(logins.attempt("hank", "hank-password-1", {"10.0.0.5"}, later).outcome == LoginOutcome::ok);
  CHECK(logins.attempt("hank", "wrong", {"10.0.0.5"}, later).outcome == LoginOutcome::invalid_credentials);
  CHECK(logins.attempt("hank", "hank-password-1", {"10.0.0.5", first.new_device_token}, later).outcome ==
        LoginOutcome::throttled);
  CHECK(logins.attempt("hank", "hank-password-1", {"10.0.0.5", new_session_token()}, later).outcome ==
        LoginOutcome::throttled);
}
