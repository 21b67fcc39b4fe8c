// The `stork` command line, run as users run it.

#include "in_process_server.hpp"
#include "child_process.hpp"
#include "test_database.hpp"

#include "accounts/sqlite_account_store.hpp"
#include "publishers/sqlite_publisher_store.hpp"
#include "sessions/session_service.hpp"
#include "sessions/sqlite_session_store.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace stork;
using namespace stork::test;

TEST_CASE("--help of every command exits 0 with a usage text") {
  const std::vector<std::vector<std::string>> commands = {
      {"--help"},         {"serve", "--help"},   {"demo", "--help"},          {"migrate", "--help"},
      {"seed", "--help"}, {"user", "--help"},    {"user", "add", "--help"},   {"user", "passwd", "--help"},
      {"user", "disable", "--help"}, {"publisher", "--help"}, {"publisher", "add", "--help"},
  };
  for (const auto& args : commands) {
    CAPTURE(args.front());
    CAPTURE(args.back());
    const ProcessResult r = run_stork(args);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("usage: stork") != std::string::npos);
  }
}

TEST_CASE("usage mistakes exit 2 with a message") {
  TempDir dir;
  const std::string db = dir.file("x.db");
  const struct {
    std::vector<std::string> args;
    const char* message;
  } cases[] = {
      {{"migrate", "--bogus"}, "unknown flag '--bogus'"},
      {{"serve", "--listen"}, "'--listen' needs a value"},
      {{"serve", "--listen", "nonsense", "--db", db}, "--listen must be HOST:PORT"},
      {{"serve", "--workers", "many", "--db", db}, "--workers"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      {{"user", "add", "--db", db}, "USERNAME"},
      {{"user", "add", "bad name", "--first", "A", "--last", "B", "--db", db}, "username"},
      {{"publisher", "add", "acme", "--db", db}, "--origin"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.message);
    const ProcessResult r = run_stork(c.args);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(c.message) != std::string::npos);
    CHECK(r.err.find("--help") != std::string::npos);
  }
  CHECK(run_stork({}).exit_code == 2);
}

TEST_CASE("serve refuses a port that is taken, clearly and promptly") {
  TempDir dir;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 1) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const std::string port = std::to_string(ntohs(addr.sin_port));

  const ProcessResult r = run_stork({"serve", "--listen", "127.0.0.1:" + port, "--db", dir.file("s.db")});
  ::close(fd);
  CHECK_FALSE(r.timed_out);
  CHECK(r.exit_code != 0);
  CHECK(r.exit_code != -1);
  CHECK(r.err.find("cannot listen on 127.0.0.1:" + port) != std::string::npos);
}

TEST_CASE("serve and migrate refuse a database they cannot open") {
  TempDir dir;
  { std::ofstream(dir.file("regular-file")) << "not a directory"; }
  const std::string db = dir.file("regular-file") + "/stork.db";
  const ProcessResult serve =
      run_stork({"serve", "--listen", "127.0.0.1:" + std::to_string(free_port()), "--db", db});
  CHECK_FALSE(serve.timed_out);
  CHECK(serve.exit_code != 0);
  CHECK(serve.exit_code != -1);
  CHECK(serve.err.find("database") != std::string::npos);
  const ProcessResult migrate = run_stork({"migrate", "--db", db});
  CHECK(migrate.exit_code == 1);
  CHECK(migrate.err.find("database") != std::string::npos);
}

TEST_CASE("user add reads the password from stdin and refuses weak ones") {
  TempDir dir;
  const std::string db = test::fresh_database(dir, "users.db");
  const ProcessResult added =
      run_stork({"user", "add", "zoe", "--first", "Zoe", "--last", "Zed", "--db", db}, "Vq7#mR2!xLp9\n");
  CHECK(added.exit_code == 0);
  CHECK(added.out.find("Added zoe") != std::string::npos);
  CHECK(added.out.find("Vq7#mR2!xLp9") == std::string::npos);  // never echoed

  for (const char* weak : {"short\n", "password\n", "yan-was-here-7\n", "\n"}) {
    CAPTURE(weak);
    const ProcessResult refused =
        run_stork({"user", "add", "yan", "--first", "Yan", "--last", "Yu", "--db", db}, weak);
    CHECK(refused.exit_code == 1);
    CHECK(refused.err.find("password refused") != std::string::npos);
  }
  const ProcessResult taken =
      run_stork({"user", "add", "zoe", "--first", "Zoe", "--last", "Zed", "--db", db}, "k7Q!p2Wz9#Lm\n");
  CHECK(taken.exit_code == 1);
  CHECK(taken.err.find("taken") != std::string::npos);

  const auto backend = open_backend(db);
  AccountStore& accounts = backend->accounts();
  const auto zoe = accounts.find("zoe");
  REQUIRE(zoe.has_value());
  CHECK(zoe->first == "Zoe");
  const std::string hash = *accounts.password_hash(zoe->id);
  CHECK(hash.rfind("$argon2id$", 0) == 0);
  CHECK(verify_password("Vq7#mR2!xLp9", hash));
  CHECK_FALSE(accounts.find("yan").has_value());
}

TEST_CASE("publisher add validates and normalizes origins") {
  TempDir dir;
  const std::string db = dir.file("pub.db");
  for (const char* bad : {"ftp://acme.test", "https://acme.test/path", "acme.test", "https://acme.test:99999"}) {
    CAPTURE(bad);
    const ProcessResult r = run_stork({"publisher", "add", "acme", "--origin", bad, "--db", db});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("not an origin") != std::string::npos);
  }
  CHECK(run_stork({"publisher", "add", "Bad Key", "--origin", "https://a.test", "--db", db}).exit_code == 2);

  const ProcessResult ok = run_stork(
      {"publisher", "add", "acme", "--origin", "HTTPS://Acme.test:443", "--origin", "http://localhost:8081", "--db", db});
  CHECK(ok.exit_code == 0);
  Database database(db);
  const auto acme = SqlitePublisherStore(database).find("acme");
  REQUIRE(acme.has_value());
  CHECK(acme->origins == std::vector<std::string>{"http://localhost:8081", "https://acme.test"});
}

TEST_CASE("migrate creates the schema") {
  TempDir dir;
  const ProcessResult r = run_stork({"migrate", "--db", dir.file("m.db")});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("schema version") != std::string::npos);
}

TEST_CASE("flags come from the environment too; flags win") {
  TempDir dir;
  const std::string from_env = dir.file("env.db");
  const std::string from_flag = dir.file("flag.db");
  CHECK(run_stork({"migrate"}, {}, std::chrono::seconds(20), {"STORK_DB=" + from_env}).exit_code == 0);
  CHECK(std::filesystem::exists(from_env));
  CHECK(run_stork({"migrate", "--db", from_flag}, {}, std::chrono::seconds(20), {"STORK_DB=" + dir.file("unused.db")})
            .exit_code == 0);
  CHECK(std::filesystem::exists(from_flag));
  CHECK_FALSE(std::filesystem::exists(dir.file("unused.db")));
}

TEST_CASE("user passwd and user disable end the user's sessions") {
  TempDir dir;
  const std::string db = dir.file("u.db");
  std::int64_t alice_id = 0, bob_id = 0;
  {
    Database database(db);
    SqliteAccountStore accounts(database);
    alice_id = accounts.add({"alice", "Alice", "Archer", hash_password("old-Vq7#mR2!", cheap_argon2())}, 0)->id;
    bob_id = accounts.add({"bob", "Bob", "Brook", hash_password("old-k7Q!p2Wz", cheap_argon2())}, 0)->id;
    SqliteSessionStore store(database);
    SessionService sessions(store, SessionPolicy{});
    for (int i = 0; i < 2; ++i) sessions.start(alice_id, false, {}, unix_now());
    sessions.start(bob_id, false, {}, unix_now());
  }
  const ProcessResult passwd = run_stork({"user", "passwd", "alice", "--db", db}, "Zx9!new-Secret\n");
  CHECK(passwd.exit_code == 0);
  CHECK(passwd.out.find("ended 2 sessions") != std::string::npos);
  CHECK(run_stork({"user", "passwd", "nobody", "--db", db}, "Zx9!new-Secret\n").exit_code == 1);
  {
    Database database(db);
    SqliteAccountStore accounts(database);
    CHECK(verify_password("Zx9!new-Secret", *accounts.password_hash(alice_id)));
    CHECK(SqliteSessionStore(database).list_of_user(alice_id).empty());
    CHECK(SqliteSessionStore(database).list_of_user(bob_id).size() == 1);
  }
  CHECK(run_stork({"user", "disable", "bob", "--db", db}).exit_code == 0);
  Database database(db);
  CHECK(SqliteAccountStore(database).find("bob")->disabled);
  CHECK(SqliteSessionStore(database).list_of_user(bob_id).empty());
}

TEST_CASE("serve: serves, then stops cleanly on SIGTERM") {
  TempDir dir;
  const int port = free_port();
  RunningStork serve({"serve", "--listen", "127.0.0.1:" + std::to_string(port), "--db", dir.file("serve.db"),
                      "--workers", "4"});
  httplib::Client cli("127.0.0.1", port);
  cli.set_connection_timeout(0, 200000);
  int health = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    if (const auto res = cli.Get("/healthz")) {
      health = res->status;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(health == 200);
  // serve applied the migrations: the API answers from an empty catalog.
  const auto missing = cli.Get("/products/1337.json");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  // The default public origin is localhost on the listening port.
  const auto login = cli.Post("/api/login", {{"Origin", "http://localhost:" + std::to_string(port)}},
                              R"({"username":"nobody","password":"whatever-password"})", "application/json");
  REQUIRE(login);
  CHECK(login->status == 401);

  const ProcessResult stopped = serve.stop(SIGTERM);
  CHECK_FALSE(stopped.timed_out);
  CHECK(stopped.exit_code == 0);
  CHECK(stopped.out.find("Stork stopped") != std::string::npos);
}
