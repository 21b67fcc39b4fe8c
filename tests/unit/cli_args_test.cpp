#include "cli/args.hpp"

#include <doctest/doctest.h>

using namespace stork;

namespace {
const std::vector<FlagSpec> kFlags = {{"db"}, {"origin", true, true}, {"verbose", false}, {"users"}};
}

TEST_CASE("flags with values, inline values, switches, positionals") {
  const Args a({"acme", "--db", "x.db", "--origin=https://a.example", "--origin", "https://b.example",
                "--verbose", "--users", "12"},
               kFlags, 1);
  CHECK(a.get("db") == "x.db");
  CHECK(a.all("origin") == std::vector<std::string>{"https://a.example", "https://b.example"});
  CHECK(a.has("verbose"));
  CHECK_FALSE(a.has("missing"));
  CHECK_FALSE(a.get("missing").has_value());
  CHECK(a.positionals() == std::vector<std::string>{"acme"});
  CHECK(a.integer("users", 0, 100) == 12);
  CHECK_FALSE(a.help());
  CHECK(Args({"--help"}, kFlags, 0).help());
  CHECK(Args({"-h"}, kFlags, 0).help());
}

TEST_CASE("mistakes are usage errors") {
  CHECK_THROWS_WITH_AS(Args({"--bogus"}, kFlags, 0), "unknown flag '--bogus'", UsageError);
  CHECK_THROWS_WITH_AS(Args({"--db"}, kFlags, 0), "'--db' needs a value", UsageError);
  CHECK_THROWS_WITH_AS(Args({"--db", "a", "--db", "b"}, kFlags, 0), "'--db' given twice", UsageError);
  CHECK_THROWS_AS(Args({"--verbose=yes"}, kFlags, 0), UsageError);
  CHECK_THROWS_AS(Args({"one", "two"}, kFlags, 1), UsageError);
  CHECK_THROWS_AS(Args({"one"}, kFlags, 0), UsageError);
  CHECK_THROWS_AS(Args({"-x"}, kFlags, 0), UsageError);
}

TEST_CASE("integer flags are range-checked") {
  CHECK_THROWS_AS(Args({"--users", "abc"}, kFlags, 0).integer("users", 0, 10), UsageError);
  CHECK_THROWS_AS(Args({"--users", "11"}, kFlags, 0).integer("users", 0, 10), UsageError);
  CHECK_THROWS_AS(Args({"--users", "-1"}, kFlags, 0).integer("users", 0, 10), UsageError);
  CHECK_THROWS_AS(Args({"--users", ""}, kFlags, 0).integer("users", 0, 10), UsageError);
  CHECK_THROWS_AS(Args({"--users", "99999999999999"}, kFlags, 0).integer("users", 0, 10), UsageError);
  CHECK(Args({"--users", "0"}, kFlags, 0).integer("users", 0, 10) == 0);
  CHECK_FALSE(Args({}, kFlags, 0).integer("users", 0, 10).has_value());
}
