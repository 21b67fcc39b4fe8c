// Password policy (ASVS V2.1) and storage (V2.4).

#include "sqlite_throttle.hpp"
#include "accounts/sqlite_account_store.hpp"
#include "in_process_server.hpp"

#include "accounts/login_service.hpp"

#include <doctest/doctest.h>

using namespace stork;
using namespace stork::test;

TEST_CASE("password policy: 8 to 128 characters, any characters, no composition rules") {
  CHECK_FALSE(password_policy_violation("short7c", "u-1").empty());
  CHECK(password_policy_violation("vgrx kemb", "u-1").empty());           // 9 lower-case letters and a space
  CHECK(password_policy_violation("qpzmvbrxtw", "u-1").empty());          // no digit, no upper case needed
  CHECK(password_policy_violation("çàéöøßñü", "u-1").empty());            // 8 characters, 16 bytes
  CHECK(password_policy_violation("🦩🦢🦆🦉🦜🕊🐧🐔", "u-1").empty());    // emoji count as characters
  const std::string long_ok(128, 'x');
  std::string varied;
  for (int i = 0; i < 128; ++i) varied.push_back(static_cast<char>('a' + (i * 7) % 26));
  CHECK(password_policy_violation(varied, "u-1").empty());
  CHECK_FALSE(password_policy_violation(varied + "q", "u-1").empty());   // 129 characters
  CHECK_FALSE(password_policy_violation(long_ok, "u-1").empty());        // one repeated character
}

TEST_CASE("password policy: common and dictionary passwords are refused") {
  for (const char* common : {"password", "Password1", "12345678", "qwertyuiop", "iloveyou", "changeme"}) {
    CAPTURE(common);
    CHECK_FALSE(password_policy_violation(common, "someone").empty());
  }
  CHECK_FALSE(password_policy_violation("ivan-the-great", "ivan").empty());  // contains the username
  for (const char* word : {"dragonfly", "elephant99", "Einstein", "kittens!", "sunshine"}) {
    CAPTURE(word);
    CHECK_FALSE(password_policy_violation(word, "someone").empty());
  }
  CHECK(password_policy_violation("correct horse battery staple", "someone").empty());
}

TEST_CASE("password storage: argon2id m=19 MiB, t=2, p=1 as a PHC string, re-hashed when raised") {
  const Argon2Params production{};
  const std::string phc = hash_password("a long enough secret", production);
  CHECK(phc.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
  CHECK(verify_password("a long enough secret", phc));
  CHECK_FALSE(verify_password("a long enough secreT", phc));
  CHECK_FALSE(needs_rehash(phc, production));

  TempDir dir;
  Database db((dir.path() / "t.db").string());
  SqliteAccountStore accounts(db);
  test::SqliteLoginThrottle throttle_parts(db); LoginThrottle& throttle = throttle_parts.throttle;
  const auto user = accounts.add({"ivy", "I", "V", hash_password("ivy's long secret", cheap_argon2())}, 0);
  REQUIRE(user);
  REQUIRE(needs_rehash(*accounts.password_hash(user->id), production));
  LoginService logins(accounts, throttle, production, 2);
  // A failed login does not re-hash.
  CHECK(logins.attempt("ivy", "wrong one", {"192.0.2.1", ""}, 100).outcome == LoginOutcome::invalid_credentials);
  CHECK(needs_rehash(*accounts.password_hash(user->id), production));
  CHECK(logins.attempt("ivy", "ivy's long secret", {"192.0.2.1", ""}, 200).outcome == LoginOutcome::ok);
  const std::string stored = *accounts.password_hash(user->id);
  CHECK(stored.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
  CHECK(verify_password("ivy's long secret", stored));
}
