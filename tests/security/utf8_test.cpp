// Text is UTF-8 (ASVS V5.1.4): input that is not is refused, and stored
// text that is not (a database outlives its validators) cannot break the
// JSON answers that carry it.

#include "in_process_server.hpp"
#include "test_database.hpp"

#include "text/utf8.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace stork;
using namespace stork::test;
using nlohmann::json;

// PostgreSQL's UTF8 databases refuse such bytes at the door, so only a
// SQLite file can hold them.
TEST_CASE("utf8: a user stored with an invalid first name breaks no product read" *
          doctest::skip(testing_postgresql()) *
          doctest::description("SQLite only: a PostgreSQL UTF8 database cannot store invalid UTF-8")) {
  TestServer server;
  const std::string password = "yuri's long secret";
  // As an older version, or a hand-edited database, could have stored it.
  REQUIRE(server.app().accounts.add({"yuri", "Yu\xff\xferi", "K\xc3", hash_password(password, server.app().config.argon2)},
                                    unix_now()));
  auto cli = server.client();
  const auto who = login(cli, "yuri", password);
  REQUIRE(who);
  const httplib::Headers mine{{"Cookie", who->cookie()}};
  for (const char* path : {"/products/1.json", "/products/2.json", "/api/me"}) {
    CAPTURE(path);
    auto r = cli.Get(path, mine);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(is_valid_utf8(r->body));
    const json body = json::parse(r->body);
    const json& user = body.contains("viewer") ? body["viewer"] : body["user"];
    CHECK(user["first"] == "Yu\xEF\xBF\xBD\xEF\xBF\xBDri");
    CHECK(user["last"] == "K\xEF\xBF\xBD");
  }
  // Everyone else reads the product as before.
  auto anonymous = cli.Get("/products/1.json");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 200);
}

TEST_CASE("utf8: a user agent that is not UTF-8 is stored and listed as valid UTF-8") {
  TestServer server;
  server.add_user("zoe", "zoe's long secret");
  auto cli = server.client();
  httplib::Headers h = widget_headers();
  h.emplace("User-Agent", "Agent\xc0\xaf/1.0 \xed\xa0\x80");
  auto in = cli.Post("/api/login", h, json{{"username", "zoe"}, {"password", "zoe's long secret"}}.dump(),
                     "application/json");
  REQUIRE(in);
  REQUIRE(in->status == 200);
  const std::string stored = database_text(server.db(), "SELECT user_agent FROM sessions");
  CHECK(is_valid_utf8(stored));
  CHECK(stored.rfind("Agent", 0) == 0);
}

TEST_CASE("utf8: the validator refuses overlong forms, surrogates, truncation and code points past U+10FFFF") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ascii"));
  CHECK(is_valid_utf8("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\xa6"));
  CHECK(is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xff"));
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));           // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xe0\x80\xaf"));       // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));       // U+D800
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));   // past U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xe2\x82"));           // truncated
  CHECK_FALSE(is_valid_utf8("\x80"));               // lone continuation
  CHECK(to_valid_utf8("a\xffz") == "a\xEF\xBF\xBDz");
  CHECK(to_valid_utf8("\xe2\x82") == "\xEF\xBF\xBD\xEF\xBF\xBD");
}
