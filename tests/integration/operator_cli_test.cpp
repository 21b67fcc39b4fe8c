// `stork user list|show|remove|reset-link` and `stork publisher
// list|show|remove|origin`, run against the database a live server uses.

#include "in_process_server.hpp"
#include "change_bound.hpp"
#include "child_process.hpp"

#include "sessions/token.hpp"

#include <doctest/doctest.h>

using namespace stork;
using namespace stork::test;

namespace {

httplib::Headers writes(const Login& l) { return with(with(widget_headers(), sid_cookie(l.token)), csrf(l.csrf)); }

}  // namespace

TEST_CASE("user list and show: a table, or JSON with --json") {
  TestServer server;
  const std::string db = server.app().config.db_path;
  const Login alice = login(server, "alice", kAlicePassword);
  REQUIRE(server.send("PUT", "/api/products/1/rating", writes(alice), R"({"stars":3})").status == 200);

  const ProcessResult table = run_stork({"user", "list", "--db", db});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.rfind("USERNAME", 0) == 0);
  CHECK(table.out.find("alice") != std::string::npos);
  CHECK(table.out.find("disabled") != std::string::npos);  // carol
  CHECK(table.out.find("3 users") != std::string::npos);

  const ProcessResult json = run_stork({"user", "list", "--json", "--db", db});
  REQUIRE(json.exit_code == 0);
  const auto list = nlohmann::json::parse(json.out);
  REQUIRE(list.size() == 3);
  CHECK(list[0]["username"] == "alice");
  CHECK(list[0]["sessions"] == 1);
  CHECK(list[0]["ratings"] == 1);
  CHECK(list[2]["disabled"] == true);

  const auto shown = nlohmann::json::parse(run_stork({"user", "show", "bob", "--json", "--db", db}).out);
  CHECK(shown["first"] == "Bob");
  const ProcessResult missing = run_stork({"user", "show", "nobody", "--db", db});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no user 'nobody'") != std::string::npos);
}

TEST_CASE("user remove: the same erase as the visitor's, aggregates exact, sessions end within the bound") {
  TestServer server;
  const std::string db = server.app().config.db_path;
  const Login alice = login(server, "alice", kAlicePassword);
  const Login bob = login(server, "bob", kBobPassword);
  REQUIRE(server.send("PUT", "/api/products/2/rating", writes(alice), R"({"stars":5})").status == 200);
  REQUIRE(server.send("PUT", "/api/products/2/rating", writes(bob), R"({"stars":1})").status == 200);
  const ProcessResult r = run_stork({"user", "remove", "alice", "--db", db});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  // The server's read cache hears of the command through the change feed;
  // the aggregate changed in the same transaction, so it shows by then.
  CHECK(within_change_bound([&] { return server.get("/api/me", sid_cookie(alice.token)).status == 401; }));
  const auto p = server.get("/products/2.json").json();
  CHECK(p["rating"]["count"] == 1);
  CHECK(p["rating"]["average"] == 1.0);
  CHECK(run_stork({"user", "remove", "alice", "--db", db}).exit_code == 1);
}

TEST_CASE("user reset-link prints a one-time first-party URL that sets the password") {
  TestServer server;
  const std::string db = server.app().config.db_path;
  const Login alice = login(server, "alice", kAlicePassword);
  const ProcessResult first = run_stork({"user", "reset-link", "alice", "--public-origin", kWidgetOrigin, "--db", db});
  const ProcessResult r = run_stork({"user", "reset-link", "alice", "--public-origin", kWidgetOrigin, "--db", db});
  REQUIRE(r.exit_code == 0);
  const std::string prefix = std::string(kWidgetOrigin) + "/reset#token=";
  REQUIRE(r.out.rfind(prefix, 0) == 0);
  const std::string token = r.out.substr(prefix.size(), r.out.size() - prefix.size() - 1);
  const std::string old_token = first.out.substr(prefix.size(), first.out.size() - prefix.size() - 1);
  CHECK(is_well_formed_token(token));
  CHECK(r.err.find("30 minutes") != std::string::npos);
  CHECK(server.scalar("SELECT count(*) FROM password_reset_links WHERE token_hash = '" + token + "'") == 0);

  const auto post = [&](const nlohmann::json& body) {
    return server.send("POST", "/api/password-reset", widget_headers(), body.dump());
  };
  CHECK(post({{"token", old_token}, {"password", "Brand-new-pass-5"}}).status == 404);  // only the newest
  REQUIRE(post({{"token", token}, {"password", "Brand-new-pass-5"}}).status == 204);
  CHECK(post({{"token", token}, {"password", "Brand-new-pass-6"}}).status == 404);       // once
  CHECK(server.get("/api/me", sid_cookie(alice.token)).status == 401);
  CHECK(login(server, "alice", "Brand-new-pass-5").reply.status == 200);
  CHECK(run_stork({"user", "reset-link", "nobody", "--db", db}).exit_code == 1);
}
