#include "http/api_types.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace stork;

namespace {

// Runs fn and returns the status of the ClientError it throws (0: none).
template <typename Fn>
int client_error_status(Fn&& fn) {
  try {
    fn();
  } catch (const ClientError& e) {
    CHECK(e.code == "bad_request");
    CHECK(std::string(e.what()).size() > 0);
    return e.status;
  }
  return 0;
}

std::string nested(int depth) {
  std::string s = R"({"username":"a","password":"b","x":)";
  for (int i = 0; i < depth; ++i) s += "[";
  for (int i = 0; i < depth; ++i) s += "]";
  return s + "}";
}

}  // namespace

TEST_CASE("decode_login: valid bodies") {
  const LoginRequest r = decode_login(
      R"({"username":"alice","password":"pw","remember":true,"cookieless":false,"publisher":"acme","top_origin":"https://a.example"})");
  CHECK(r.username == "alice");
  CHECK(r.password == "pw");
  CHECK(r.remember);
  CHECK_FALSE(r.cookieless);
  CHECK(r.publisher == "acme");
  CHECK(r.top_origin == "https://a.example");

  const LoginRequest minimal = decode_login(R"({"username":"bob","password":"x","remember":null})");
  CHECK_FALSE(minimal.remember);
  CHECK_FALSE(minimal.cookieless);
  CHECK(minimal.publisher.empty());
  // Unknown fields are ignored.
  CHECK(decode_login(R"({"username":"bob","password":"x","extra":{"a":[1,2]}})").username == "bob");
}

TEST_CASE("decode_login: malformed input is 400 bad_request") {
  const char* bodies[] = {
      "",
      "{",
      "not json",
      "[]",
      "\"string\"",
      "42",
      "null",
      R"({"password":"x"})",
      R"({"username":"alice"})",
      R"({"username":1,"password":"x"})",
      R"({"username":"alice","password":["x"]})",
      R"({"username":"alice","password":"x","remember":"yes"})",
      R"({"username":"alice","password":"x","cookieless":1})",
      R"({"username":"alice","password":"x","publisher":7})",
      "{\"username\":\"al\xff\xfeice\",\"password\":\"x\"}",
      R"({"username":"alice","password":"x"} trailing)",
  };
  for (const char* body : bodies) {
    CAPTURE(body);
    CHECK(client_error_status([&] { decode_login(body); }) == 400);
  }
}

TEST_CASE("decode_login: nesting depth is bounded") {
  CHECK(client_error_status([] { decode_login(nested(3)); }) == 0);
  CHECK(client_error_status([] { decode_login(nested(20)); }) == 400);
  CHECK(client_error_status([] { decode_login(nested(10000)); }) == 400);
}

TEST_CASE("decode_login: oversize fields") {
  const std::string user64(64, 'u'), user65(65, 'u');
  const std::string pw1024(1024, 'p'), pw1025(1025, 'p');
  CHECK(client_error_status([&] { decode_login(R"({"username":")" + user64 + R"(","password":"x"})"); }) == 0);
  CHECK(client_error_status([&] { decode_login(R"({"username":")" + user65 + R"(","password":"x"})"); }) == 400);
  CHECK(client_error_status([&] { decode_login(R"({"username":"a","password":")" + pw1024 + R"("})"); }) == 0);
  CHECK(client_error_status([&] { decode_login(R"({"username":"a","password":")" + pw1025 + R"("})"); }) == 400);
  CHECK(client_error_status([&] {
          decode_login(R"({"username":"a","password":"b","publisher":")" + std::string(65, 'k') + R"("})");
        }) == 400);
  CHECK(client_error_status([&] {
          decode_login(R"({"username":"a","password":"b","top_origin":")" + std::string(256, 'o') + R"("})");
        }) == 400);
}

TEST_CASE("decode_rating") {
  for (int stars = 1; stars <= 5; ++stars) {
    CHECK(decode_rating(R"({"stars":)" + std::to_string(stars) + "}").stars == stars);
  }
  for (const char* body : {R"({"stars":0})", R"({"stars":6})", R"({"stars":-1})", R"({"stars":3.5})",
                           R"({"stars":"3"})", R"({"stars":true})", R"({"stars":null})", R"({})",
                           R"({"stars":18446744073709551615})", R"({"stars":[3]})", "[3]", ""}) {
    CAPTURE(body);
    CHECK(client_error_status([&] { decode_rating(body); }) == 400);
  }
}

TEST_CASE("decode_password_change") {
  const PasswordChangeRequest r = decode_password_change(R"({"old_password":"a","new_password":"b"})");
  CHECK(r.old_password == "a");
  CHECK(r.new_password == "b");
  for (const char* body : {R"({"old_password":"a"})", R"({"new_password":"b"})",
                           R"({"old_password":1,"new_password":"b"})", R"({"old_password":"a","new_password":{}})"}) {
    CAPTURE(body);
    CHECK(client_error_status([&] { decode_password_change(body); }) == 400);
  }
  const std::string big(1025, 'x');
  CHECK(client_error_status([&] {
          decode_password_change(R"({"old_password":"a","new_password":")" + big + R"("})");
        }) == 400);
}

TEST_CASE("parse_id") {
  CHECK(parse_id("1") == 1);
  CHECK(parse_id("1337") == 1337);
  CHECK(parse_id("999999999999999999") == 999999999999999999LL);
  CHECK_FALSE(parse_id("").has_value());
  CHECK_FALSE(parse_id("0").has_value());
  CHECK_FALSE(parse_id("-1").has_value());
  CHECK_FALSE(parse_id("+1").has_value());
  CHECK_FALSE(parse_id("12a").has_value());
  CHECK_FALSE(parse_id("1.0").has_value());
  CHECK_FALSE(parse_id(" 1").has_value());
  CHECK_FALSE(parse_id("1000000000000000000").has_value());  // 19 digits
  CHECK_FALSE(parse_id("99999999999999999999999").has_value());
}
