// Tests against the real `stork` binary, on the backend under test
// (STORK_TEST_BACKEND; one ctest entry per backend): crash safety under
// SIGKILL, no secrets in its logs, the user commands ending sessions, and
// command-line input it must refuse.

#include "change_bound.hpp"
#include "stork_server.hpp"
#include "http_client.hpp"
#include "test_support.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

using namespace stork::test;
using nlohmann::json;

namespace {

// Runs a stork command on db to its end; its exit code.
int stork_on(const std::string& db, std::vector<std::string> args, const std::string& input = {}) {
  args.insert(args.end(), {"--db", db});
  return run_stork(args, input).exit_code;
}

// The username seed gives user number n.
std::string seeded_user(int n) {
  char name[16];
  std::snprintf(name, sizeof name, "user%05d", n);
  return name;
}

struct Ack {
  std::string user;
  int product;
  int stars;
};

// How many of these ratings the store holds, read with one connection of
// its own: a VALUES list joined to the ratings, portable SQL (the columns
// of VALUES are column1.. on both backends). The values are the test's
// own (seeded names and numbers).
std::int64_t ratings_stored(const std::string& db, const std::vector<Ack>& acks) {
  if (acks.empty()) return 0;
  std::string values;
  for (const Ack& a : acks) {
    values += (values.empty() ? "('" : ", ('") + a.user + "', " + std::to_string(a.product) + ", " +
              std::to_string(a.stars) + ")";
  }
  return database_scalar(db, "SELECT count(*) FROM (VALUES " + values + ") AS a "
                             "JOIN users ON users.username = a.column1 "
                             "JOIN ratings ON ratings.user_id = users.id AND ratings.product_id = a.column2 "
                             "AND ratings.stars = a.column3");
}

}  // namespace

TEST_CASE("crash safety: acknowledged writes and sessions survive SIGKILL mid-load") {
  // http_client.hpp's login() and widget_headers() speak as the widget of
  // kWidgetOrigin: the served processes must believe they are that widget.
  REQUIRE(kWidgetOrigin == kServedOrigin);
  TempDir dir;
  const std::string db = fresh_database(dir, "crash.db");
  REQUIRE(stork_on(db, {"seed", "--users", "12", "--products", "100"}) == 0);

  std::vector<Ack> acked;
  std::mutex acked_mutex;
  std::vector<Login> sessions_before_kill;
  constexpr int kRounds = 3;
  constexpr int kWriters = 4;
  int kills = 0;

  // Each round writes through fresh users (round * 4 + 1 ..), each to
  // products 1..100 once, so every (user, product) pair is written once.
  StorkServer server(db);
  for (int round = 0; round < kRounds; ++round) {
    if (round > 0) server.start();
    // Sessions from earlier rounds still work after the restart.
    for (const Login& s : sessions_before_kill) {
      auto r = server.client().Get("/api/me", httplib::Headers{{"Cookie", s.cookie()}});
      REQUIRE(r);
      CHECK(r->status == 200);
    }
    std::vector<Login> writers;
    for (int w = 0; w < kWriters; ++w) {
      const std::string name = seeded_user(round * kWriters + w + 1);
      auto s = login(server.client(), name, "pw-" + name);
      REQUIRE(s);
      writers.push_back(*s);
      sessions_before_kill.push_back(*s);
    }
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
      threads.emplace_back([&, w] {
        auto cli = server.client();
        const std::string user = seeded_user(round * kWriters + w + 1);
        for (int product = 1; product <= 100 && !stop; ++product) {
          const int stars = 1 + (product + w + round) % 5;
          auto r = cli.Put("/api/products/" + std::to_string(product) + "/rating",
                           widget_headers(writers[w].cookie(), writers[w].csrf), json{{"stars", stars}}.dump(),
                           "application/json");
          if (!r) break;  // the server is gone
          if (r->status >= 200 && r->status < 300) {
            std::lock_guard lock(acked_mutex);
            acked.push_back({user, product, stars});
          }
        }
      });
    }
    // Logins run at the same time (each one writes a session row).
    threads.emplace_back([&] {
      for (int i = 0; i < 20 && !stop; ++i) {
        const std::string name = seeded_user(1 + i % 12);
        login(server.client(), name, "pw-" + name);
      }
    });
    // Kill once the load is well under way.
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(acked_mutex);
        if (acked.size() >= static_cast<std::size_t>(round * 100 + 60)) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    server.stop(SIGKILL);
    ++kills;
    stop = true;
    for (auto& t : threads) t.join();
  }

  // One more start on the same store: everything acknowledged is there.
  server.start();
  for (const auto& s : sessions_before_kill) {
    auto r = server.client().Get("/api/me", httplib::Headers{{"Cookie", s.cookie()}});
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  server.stop(SIGKILL);
  // SQLite only: the file is Stork's own to keep whole. PostgreSQL's
  // recovery of its own files is not Stork's to check.
  if (!testing_postgresql()) CHECK(database_text(db, "PRAGMA integrity_check") == "ok");
  const std::int64_t missing = static_cast<std::int64_t>(acked.size()) - ratings_stored(db, acked);
  MESSAGE("kills survived: " << kills << ", acknowledged writes verified: " << acked.size()
                             << ", sessions verified: " << sessions_before_kill.size());
  CHECK(kills == kRounds);
  CHECK(acked.size() >= 3 * 60);
  CHECK(missing == 0);
}

TEST_CASE("logs: no passwords, session tokens or CSRF tokens in the server's output") {
  TempDir dir;
  const std::string db = fresh_database(dir, "logs.db");
  const std::string password = "Odysseus-31 long secret";
  const std::string new_password = "Penelope weaves at night";
  REQUIRE(stork_on(db, {"user", "add", "ulysses", "--first", "U", "--last", "S"}, password + "\n") == 0);
  std::vector<std::string> secrets = {password, new_password, "a wrong guess 42"};
  StorkServer server(db);
  auto cli = server.client();
  cli.Post("/api/login", widget_headers(), json{{"username", "ulysses"}, {"password", "a wrong guess 42"}}.dump(),
           "application/json");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the one-second back-off
  auto cookieless = cli.Post("/api/login", widget_headers(),
                             json{{"username", "ulysses"}, {"password", password}, {"cookieless", true}}.dump(),
                             "application/json");
  REQUIRE(cookieless);
  REQUIRE(cookieless->status == 200);
  secrets.push_back(json::parse(cookieless->body).at("token"));
  const auto who = login(cli, "ulysses", password);
  REQUIRE(who);
  secrets.push_back(who->token);
  secrets.push_back(who->csrf);
  cli.Get("/api/me", httplib::Headers{{"Cookie", who->cookie()}});
  cli.Put("/api/products/1/rating", widget_headers(who->cookie(), who->csrf), json{{"stars", 3}}.dump(),
          "application/json");
  auto changed = cli.Put("/api/password", widget_headers(who->cookie(), who->csrf),
                         json{{"old_password", password}, {"new_password", new_password}}.dump(), "application/json");
  REQUIRE(changed);
  REQUIRE(changed->status == 200);
  const std::string fresh_csrf = json::parse(changed->body).at("csrf");
  secrets.push_back(fresh_csrf);
  const auto line = set_cookie_line(*changed, "stork_sid");
  REQUIRE(line);
  const std::string fresh = line->substr(10, line->find(';') - 10);
  secrets.push_back(fresh);
  // A request that fails inside a handler, and a malformed one.
  cli.Post("/api/login", widget_headers(), "{\"username\":\"ulysses\",\"password\":\"" + new_password + "\"",
           "application/json");
  cli.Post("/api/logout", widget_headers("stork_sid=" + fresh, fresh_csrf), "", "application/json");
  server.stop(SIGTERM);
  const std::string output = server.log();
  REQUIRE_FALSE(output.empty());  // the server did write its banner
  for (const auto& secret : secrets) {
    CAPTURE(secret);
    CHECK(output.find(secret) == std::string::npos);
  }
}

TEST_CASE("cli: `stork user passwd` and `stork user disable` end the user's sessions") {
  TempDir dir;
  const std::string db = fresh_database(dir, "cli.db");
  REQUIRE(stork_on(db, {"user", "add", "vera", "--first", "V", "--last", "R"}, "Her first secret\n") == 0);
  REQUIRE(stork_on(db, {"user", "add", "walt", "--first", "W", "--last", "S"}, "His first secret\n") == 0);
  StorkServer server(db);
  auto cli = server.client();
  const auto v1 = login(cli, "vera", "Her first secret");
  const auto v2 = login(cli, "vera", "Her first secret");
  const auto w = login(cli, "walt", "His first secret");
  REQUIRE((v1 && v2 && w));
  auto me = [&](const Login& s) { return cli.Get("/api/me", httplib::Headers{{"Cookie", s.cookie()}})->status; };

  // The server sees a command's change within the bound (its read cache
  // hears of it through the change feed); once it sees one row of the
  // command's transaction it sees them all, so the other checks need no wait.
  CHECK(stork_on(db, {"user", "passwd", "vera"}, "password\n") != 0);  // too common: refused
  CHECK_FALSE(within_change_bound([&] { return me(*v1) != 200; }));     // for the whole bound
  REQUIRE(stork_on(db, {"user", "passwd", "vera"}, "Her second phrase\n") == 0);
  CHECK(within_change_bound([&] { return me(*v1) == 401; }));
  CHECK(me(*v2) == 401);
  CHECK(me(*w) == 200);
  const auto v3 = login(cli, "vera", "Her second phrase");
  REQUIRE(v3);

  REQUIRE(stork_on(db, {"user", "disable", "vera"}) == 0);
  CHECK(within_change_bound([&] { return me(*v3) == 401; }));
  CHECK(me(*w) == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // past any back-off
  auto denied = cli.Post("/api/login", widget_headers(),
                         json{{"username", "vera"}, {"password", "Her second phrase"}}.dump(), "application/json");
  REQUIRE(denied);
  CHECK(denied->status == 401);
}

TEST_CASE("cli: text that is not UTF-8 is refused and changes nothing") {
  TempDir dir;
  const std::string db = fresh_database(dir, "utf8.db");
  const auto on_db = [&](std::vector<std::string> args, const std::string& input = {}) {
    args.insert(args.end(), {"--db", db});
    return run_stork(args, input);
  };
  REQUIRE(on_db({"user", "add", "ann", "--first", "Ann", "--last", "Lee"}, "A long first secret\n").exit_code == 0);
  const ProcessResult first = on_db({"user", "add", "una", "--first", "U\xffna", "--last", "Lee"}, "A long first secret\n");
  CHECK(first.exit_code == 2);
  CHECK(first.err.find("UTF-8") != std::string::npos);
  const ProcessResult last = on_db({"user", "add", "una", "--first", "Una", "--last", "L\xc3"}, "A long first secret\n");
  CHECK(last.exit_code == 2);
  const ProcessResult pw = on_db({"user", "add", "una", "--first", "Una", "--last", "Lee"}, "A long \xff secret\n");
  CHECK(pw.exit_code == 1);
  CHECK(pw.err.find("UTF-8") != std::string::npos);
  const ProcessResult origin = on_db({"publisher", "add", "acme", "--origin", "https://acme\xe2\x82.test"});
  CHECK(origin.exit_code == 2);
  CHECK(database_scalar(db, "SELECT count(*) FROM users") == 1);
  CHECK(database_scalar(db, "SELECT count(*) FROM publishers WHERE key = 'acme'") == 0);
}

TEST_CASE("cli: an idle timeout the sessions cannot honour is refused with a clear message") {
  TempDir dir;
  const std::string db = fresh_database(dir, "idle.db");
  const std::string listen = "127.0.0.1:" + std::to_string(free_port());
  for (const char* seconds : {"1", "5", "9"}) {
    CAPTURE(seconds);
    const ProcessResult r = run_stork({"serve", "--idle-timeout", seconds, "--listen", listen, "--db", db}, {},
                                      std::chrono::seconds(10));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("at least 10 seconds") != std::string::npos);
  }
}

TEST_CASE("metrics: stork serve --metrics-listen serves them there and not on the widget listener") {
  TempDir dir;
  const std::string db = fresh_database(dir, "metrics.db");
  const int metrics_port = free_port();
  StorkServer server(db, {"--metrics-listen", "127.0.0.1:" + std::to_string(metrics_port)});
  auto cli = server.client();
  auto on_widget = cli.Get("/metrics");
  REQUIRE(on_widget);
  CHECK(on_widget->status == 404);
  httplib::Client metrics("127.0.0.1", metrics_port);
  auto r = metrics.Get("/metrics");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.find("stork_http_requests_total") != std::string::npos);
  CHECK(run_stork({"serve", "--metrics-listen", "nonsense", "--db", db}, {}, std::chrono::seconds(10)).exit_code == 2);
}
