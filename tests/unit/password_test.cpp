#include "accounts/password.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace stork;

TEST_CASE("default parameters produce OWASP's argon2id PHC string") {
  const std::string phc = hash_password("correct horse battery staple");
  CHECK(phc.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0) == 0);
  CHECK(verify_password("correct horse battery staple", phc));
  CHECK_FALSE(verify_password("correct horse battery stapler", phc));
  CHECK_FALSE(needs_rehash(phc));
}

TEST_CASE("verify: right and wrong passwords, salted hashes") {
  const auto params = test::cheap_argon2();
  const std::string a = hash_password("s3cret-passphrase", params);
  const std::string b = hash_password("s3cret-passphrase", params);
  CHECK(a.rfind("$argon2id$v=19$m=8,t=1,p=1$", 0) == 0);
  CHECK(a != b);  // a fresh salt every time
  CHECK(verify_password("s3cret-passphrase", a));
  CHECK(verify_password("s3cret-passphrase", b));
  CHECK_FALSE(verify_password("S3cret-passphrase", a));
  CHECK_FALSE(verify_password("", a));
  CHECK_FALSE(verify_password(std::string("s3cret-passphrase\0x", 19), a));
}

TEST_CASE("a malformed hash verifies nothing") {
  const auto params = test::cheap_argon2();
  const std::string good = hash_password("pw-for-malformed", params);
  for (const std::string& bad :
       {std::string(), std::string("plain text"), std::string("$argon2id$"),
        std::string("$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA"),
        good.substr(0, good.size() - 5), std::string(500, '$'), good + "A"}) {
    CAPTURE(bad);
    CHECK_FALSE(verify_password("pw-for-malformed", bad));
    CHECK_FALSE(verify_password("", bad));
  }
}

TEST_CASE("needs_rehash when the parameters are raised") {
  const auto cheap = test::cheap_argon2();
  const std::string phc = hash_password("rehash-me-please", cheap);
  CHECK_FALSE(needs_rehash(phc, cheap));
  Argon2Params more_ops = cheap;
  more_ops.ops_limit = 2;
  CHECK(needs_rehash(phc, more_ops));
  Argon2Params more_memory = cheap;
  more_memory.mem_limit_bytes = 64 * 1024;
  CHECK(needs_rehash(phc, more_memory));
  CHECK(needs_rehash(phc));  // against the production default
  CHECK(needs_rehash("garbage", cheap));
}

TEST_CASE("password policy: length in characters") {
  // Random-looking passwords: the policy may also consult a dictionary.
  CHECK_FALSE(password_policy_violation("k7Q!p2W", "").empty());          // 7
  CHECK(password_policy_violation("k7Q!p2Wz", "").empty());               // 8
  std::string long_ok;
  for (int i = 0; i < 128; ++i) long_ok += "k7Q!p2Wz9#Lm4$Rt"[i % 16];
  CHECK(password_policy_violation(long_ok, "").empty());                  // 128
  CHECK_FALSE(password_policy_violation(long_ok + "x", "").empty());      // 129

  // Multibyte characters count once: 7 two-byte characters are 14 bytes
  // but still too short; 128 three-byte characters are fine.
  CHECK_FALSE(password_policy_violation("\u00e9\u00e8\u00ea\u00eb\u00e0\u00e2\u00e4", "").empty());
  CHECK(password_policy_violation("\u00e9\u00e8\u00ea\u00eb\u00e0\u00e2\u00e4\u00f6", "").empty());
  std::string euros;
  for (int i = 0; i < 64; ++i) euros += "\u20ac\u00a3";  // 128 characters, 320 bytes
  CHECK(password_policy_violation(euros, "").empty());
  CHECK_FALSE(password_policy_violation(euros + "\u20ac", "").empty());
}

TEST_CASE("password policy: common passwords and the username") {
  CHECK_FALSE(password_policy_violation("password", "").empty());
  CHECK_FALSE(password_policy_violation("PassWord", "").empty());
  CHECK_FALSE(password_policy_violation("12345678", "").empty());
  CHECK_FALSE(password_policy_violation("qwerty123", "").empty());
  CHECK_FALSE(password_policy_violation("zzzzzzzzzz", "").empty());
  CHECK_FALSE(password_policy_violation("xxalice123", "alice").empty());
  CHECK_FALSE(password_policy_violation("ALICEwonderland", "alice").empty());
  CHECK(password_policy_violation("Vq7#mR2!xLp9", "alice").empty());
  CHECK(password_policy_violation("tr0ub4dor&3", "bob").empty());
}
