#include "sessions/token.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

using namespace stork;

namespace {

bool is_base64url(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

bool is_lower_hex(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

TEST_CASE("session tokens are 43 base64url characters (256 bits) and never repeat") {
  std::set<std::string> seen;
  std::set<char> alphabet;
  constexpr int kDraws = 20000;
  for (int i = 0; i < kDraws; ++i) {
    const std::string token = new_session_token();
    REQUIRE(token.size() == 43);
    REQUIRE(is_base64url(token));
    REQUIRE(is_well_formed_token(token));
    alphabet.insert(token.begin(), token.end());
    seen.insert(token);
  }
  CHECK(seen.size() == kDraws);
  // 860,000 characters drawn: every one of the 64 symbols shows up, so the
  // encoding really spans the whole alphabet (not hex, not a subset).
  CHECK(alphabet.size() == 64);
}

TEST_CASE("is_well_formed_token accepts only our length and alphabet") {
  const std::string good = new_session_token();
  CHECK(is_well_formed_token(good));
  CHECK_FALSE(is_well_formed_token(""));
  CHECK_FALSE(is_well_formed_token(good.substr(0, 42)));
  CHECK_FALSE(is_well_formed_token(good + "A"));
  for (const char bad : {'+', '/', '=', ' ', '.', '\0', ';', '"'}) {
    std::string t = good;
    t[10] = bad;
    CHECK_FALSE(is_well_formed_token(t));
  }
  std::string high = good;
  high[0] = static_cast<char>(0xC3);
  CHECK_FALSE(is_well_formed_token(high));
}

TEST_CASE("hash_token is a stable 64-char lower-case hex digest that differs per token") {
  const std::string a = new_session_token();
  const std::string b = new_session_token();
  const std::string ha = hash_token(a);
  CHECK(ha.size() == 64);
  CHECK(is_lower_hex(ha));
  CHECK(hash_token(a) == ha);
  CHECK(hash_token(b) != ha);
  CHECK(ha.find(a) == std::string::npos);
  // Known answer: BLAKE2b-256 of the empty string.
  CHECK(hash_token("") == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

TEST_CASE("csrf_token_for is derived, stable, per session and not the session hash") {
  const std::string a = new_session_token();
  const std::string b = new_session_token();
  const std::string ca = csrf_token_for(a);
  CHECK(ca.size() == 32);  // 24 bytes, base64url without padding
  CHECK(is_base64url(ca));
  CHECK(csrf_token_for(a) == ca);
  CHECK(csrf_token_for(b) != ca);
  CHECK(ca != a);
  CHECK(hash_token(a).find(ca) == std::string::npos);
}

TEST_CASE("constant_time_equals compares content and length") {
  CHECK(constant_time_equals("", ""));
  CHECK(constant_time_equals("abc", "abc"));
  CHECK_FALSE(constant_time_equals("abc", "abd"));
  CHECK_FALSE(constant_time_equals("abc", "ab"));
  CHECK_FALSE(constant_time_equals("ab", "abc"));
  CHECK_FALSE(constant_time_equals("", "a"));
  const std::string t = new_session_token();
  CHECK(constant_time_equals(t, std::string(t)));
}

TEST_CASE("public ids and random hex") {
  const std::string id = new_public_id();
  CHECK(id.size() == 32);
  CHECK(is_lower_hex(id));
  CHECK(new_public_id() != id);
  CHECK(random_hex(5).size() == 10);
  CHECK(random_hex(0).empty());
}
