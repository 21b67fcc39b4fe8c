// Tests against the real `stork` binary: crash safety under SIGKILL, no
// secrets in its logs, and the user commands ending sessions.

#include "support.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <mutex>
#include <sstream>

using namespace stork::test;
using nlohmann::json;

namespace {

// Runs a stork command to completion, feeding `input` on stdin.
int run_stork(const std::string& args, const std::string& input = {}) {
  const std::string cmd = std::string("'") + STORK_BINARY + "' " + args + " >/dev/null 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "w");
  if (!pipe) return -1;
  if (!input.empty()) std::fwrite(input.data(), 1, input.size(), pipe);
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs a stork command to completion (at most 10 s); its exit status and
// what it wrote on standard error.
std::pair<int, std::string> run_stork_stderr(const std::string& args, const std::string& input = {}) {
  TempDir dir;
  const std::string err = dir.file("stderr");
  const std::string cmd = std::string("timeout 10 '") + STORK_BINARY + "' " + args + " >/dev/null 2>'" + err + "'";
  FILE* pipe = ::popen(cmd.c_str(), "w");
  if (!pipe) return {-1, ""};
  if (!input.empty()) std::fwrite(input.data(), 1, input.size(), pipe);
  const int status = ::pclose(pipe);
  std::ifstream in(err);
  std::stringstream text;
  text << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

// `stork serve` as a child process; killed (SIGKILL) when it goes out of scope.
class ServeProcess {
 public:
  ServeProcess(const std::filesystem::path& db, int port, const std::filesystem::path& log,
               const std::vector<std::string>& extra = {})
      : port_(port) {
    const std::string listen = "127.0.0.1:" + std::to_string(port);
    std::vector<std::string> args = {STORK_BINARY, "serve", "--listen", listen, "--db", db.string(),
                                     "--public-origin", kWidgetOrigin};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::execv(STORK_BINARY, argv.data());
      ::_exit(127);
    }
  }
  ~ServeProcess() { kill(SIGKILL); }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool wait_ready() const {
    for (int i = 0; i < 300; ++i) {
      httplib::Client c("127.0.0.1", port_);
      if (auto r = c.Get("/healthz"); r && r->status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  void kill(int sig) {
    if (pid_ <= 0) return;
    ::kill(pid_, sig);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(10, 0);
    c.set_connection_timeout(2, 0);
    return c;
  }

 private:
  pid_t pid_ = -1;
  int port_;
};

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<LoggedIn> login_at(const ServeProcess& server, const std::string& user, const std::string& pw) {
  return login(server.client(), user, pw);
}

}  // namespace

TEST_CASE("crash safety: acknowledged writes and sessions survive SIGKILL mid-load") {
  TempDir dir;
  const auto db = dir.path() / "crash.db";
  REQUIRE(run_stork("seed --db '" + db.string() + "' --users 12 --products 100") == 0);
  const auto log = dir.path() / "serve.log";

  struct Ack {
    std::string user;
    int product;
    int stars;
  };
  std::vector<Ack> acked;
  std::mutex acked_mutex;
  std::vector<LoggedIn> sessions_before_kill;
  std::vector<std::string> session_users;
  int next_product = 1;  // each write goes to a fresh (user, product) pair
  constexpr int kRounds = 3;
  int kills = 0;

  for (int round = 0; round < kRounds; ++round) {
    const int port = free_port();
    ServeProcess server(db, port, log);
    REQUIRE(server.wait_ready());
    // Sessions from earlier rounds still work after the restart.
    for (std::size_t i = 0; i < sessions_before_kill.size(); ++i) {
      auto r = server.client().Get("/api/me", httplib::Headers{{"Cookie", sessions_before_kill[i].cookie()}});
      REQUIRE(r);
      CHECK(r->status == 200);
    }
    std::vector<LoggedIn> writers;
    for (int w = 0; w < 4; ++w) {
      char name[16];
      std::snprintf(name, sizeof name, "user%05d", round * 4 + w + 1);
      auto s = login_at(server, name, std::string("pw-") + name);
      REQUIRE(s);
      writers.push_back(*s);
      sessions_before_kill.push_back(*s);
      session_users.push_back(name);
    }
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int w = 0; w < 4; ++w) {
      threads.emplace_back([&, w] {
        auto cli = server.client();
        for (int product = 1; product <= 100 && !stop; ++product) {
          const int stars = 1 + (product + w + round) % 5;
          auto r = cli.Put("/api/products/" + std::to_string(product) + "/rating",
                           widget_headers(writers[w].cookie(), writers[w].csrf), json{{"stars", stars}}.dump(),
                           "application/json");
          if (!r) break;  // the server is gone
          if (r->status >= 200 && r->status < 300) {
            std::lock_guard lock(acked_mutex);
            acked.push_back({session_users[session_users.size() - 4 + w], product, stars});
          }
        }
      });
    }
    // Logins run at the same time (each one writes a session row).
    threads.emplace_back([&] {
      for (int i = 0; i < 20 && !stop; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "user%05d", 1 + i % 12);
        login_at(server, name, std::string("pw-") + name);
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
    server.kill(SIGKILL);
    ++kills;
    stop = true;
    for (auto& t : threads) t.join();
  }
  (void)next_product;

  // One more start on the same file: everything acknowledged is there.
  const int port = free_port();
  ServeProcess server(db, port, log);
  REQUIRE(server.wait_ready());
  for (const auto& s : sessions_before_kill) {
    auto r = server.client().Get("/api/me", httplib::Headers{{"Cookie", s.cookie()}});
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  server.kill(SIGKILL);
  SQLite::Database conn(db.string(), SQLite::OPEN_READONLY);
  CHECK(conn.execAndGet("PRAGMA integrity_check").getString() == "ok");
  SQLite::Statement q(conn,
                      "SELECT stars FROM ratings JOIN users ON users.id = ratings.user_id "
                      "WHERE users.username = ? AND product_id = ?");
  int missing = 0;
  for (const Ack& a : acked) {
    q.reset();
    q.bind(1, a.user);
    q.bind(2, a.product);
    if (!q.executeStep() || q.getColumn(0).getInt() != a.stars) ++missing;
  }
  MESSAGE("kills survived: " << kills << ", acknowledged writes verified: " << acked.size()
                             << ", sessions verified: " << sessions_before_kill.size());
  CHECK(kills == kRounds);
  CHECK(acked.size() >= 3 * 60);
  CHECK(missing == 0);
}

TEST_CASE("logs: no passwords, session tokens or CSRF tokens in the server's output") {
  TempDir dir;
  const auto db = dir.path() / "logs.db";
  const std::string password = "Odysseus-31 long secret";
  const std::string new_password = "Penelope weaves at night";
  REQUIRE(run_stork("user add ulysses --first U --last S --db '" + db.string() + "'", password + "\n") == 0);
  const auto log = dir.path() / "serve.log";
  std::vector<std::string> secrets = {password, new_password, "a wrong guess 42"};
  {
    ServeProcess server(db, free_port(), log);
    REQUIRE(server.wait_ready());
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
                           json{{"old_password", password}, {"new_password", new_password}}.dump(),
                           "application/json");
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
    server.kill(SIGTERM);
  }
  const std::string output = read_file(log);
  REQUIRE_FALSE(output.empty());  // the server did write its banner
  for (const auto& secret : secrets) {
    CAPTURE(secret);
    CHECK(output.find(secret) == std::string::npos);
  }
}

TEST_CASE("cli: `stork user passwd` and `stork user disable` end the user's sessions") {
  TempDir dir;
  const auto db = dir.path() / "cli.db";
  const std::string db_arg = " --db '" + db.string() + "'";
  REQUIRE(run_stork("user add vera --first V --last R" + db_arg, "Her first secret\n") == 0);
  REQUIRE(run_stork("user add walt --first W --last S" + db_arg, "His first secret\n") == 0);
  ServeProcess server(db, free_port(), dir.path() / "serve.log");
  REQUIRE(server.wait_ready());
  auto cli = server.client();
  const auto v1 = login(cli, "vera", "Her first secret");
  const auto v2 = login(cli, "vera", "Her first secret");
  const auto w = login(cli, "walt", "His first secret");
  REQUIRE((v1 && v2 && w));
  auto me = [&](const LoggedIn& s) { return cli.Get("/api/me", httplib::Headers{{"Cookie", s.cookie()}})->status; };

  CHECK(run_stork("user passwd vera" + db_arg, "password\n") != 0);  // too common: refused
  CHECK(me(*v1) == 200);
  REQUIRE(run_stork("user passwd vera" + db_arg, "Her second phrase\n") == 0);
  CHECK(me(*v1) == 401);
  CHECK(me(*v2) == 401);
  CHECK(me(*w) == 200);
  const auto v3 = login(cli, "vera", "Her second phrase");
  REQUIRE(v3);

  REQUIRE(run_stork("user disable vera" + db_arg) == 0);
  CHECK(me(*v3) == 401);
  CHECK(me(*w) == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // past any back-off
  auto denied = cli.Post("/api/login", widget_headers(),
                         json{{"username", "vera"}, {"password", "Her second phrase"}}.dump(), "application/json");
  REQUIRE(denied);
  CHECK(denied->status == 401);
}

TEST_CASE("cli: text that is not UTF-8 is refused and changes nothing") {
  TempDir dir;
  const auto db = dir.path() / "utf8.db";
  const std::string db_arg = " --db '" + db.string() + "'";
  REQUIRE(run_stork("user add ann --first Ann --last Lee" + db_arg, "A long first secret\n") == 0);
  const auto [first_status, first_err] = run_stork_stderr("user add una --first 'U\xffna' --last Lee" + db_arg,
                                                          "A long first secret\n");
  CHECK(first_status == 2);
  CHECK(first_err.find("UTF-8") != std::string::npos);
  const auto [last_status, last_err] = run_stork_stderr("user add una --first Una --last 'L\xc3'" + db_arg,
                                                        "A long first secret\n");
  CHECK(last_status == 2);
  const auto [pw_status, pw_err] = run_stork_stderr("user add una --first Una --last Lee" + db_arg,
                                                    "A long \xff secret\n");
  CHECK(pw_status == 1);
  CHECK(pw_err.find("UTF-8") != std::string::npos);
  const auto [origin_status, origin_err] =
      run_stork_stderr("publisher add acme --origin 'https://acme\xe2\x82.test'" + db_arg);
  CHECK(origin_status == 2);
  SQLite::Database conn(db.string(), SQLite::OPEN_READONLY);
  CHECK(conn.execAndGet("SELECT count(*) FROM users").getInt() == 1);
  CHECK(conn.execAndGet("SELECT count(*) FROM publishers WHERE key = 'acme'").getInt() == 0);
}

TEST_CASE("cli: an idle timeout the sessions cannot honour is refused with a clear message") {
  TempDir dir;
  const std::string db_arg = " --db '" + (dir.path() / "idle.db").string() + "'";
  const std::string listen = " --listen 127.0.0.1:" + std::to_string(free_port());
  for (const char* seconds : {"1", "5", "9"}) {
    CAPTURE(seconds);
    const auto [status, err] = run_stork_stderr(std::string("serve --idle-timeout ") + seconds + listen + db_arg);
    CHECK(status == 2);
    CHECK(err.find("at least 10 seconds") != std::string::npos);
  }
}

TEST_CASE("metrics: stork serve --metrics-listen serves them there and not on the widget listener") {
  TempDir dir;
  const int metrics_port = free_port();
  ServeProcess server(dir.path() / "metrics.db", free_port(), dir.path() / "serve.log",
                      {"--metrics-listen", "127.0.0.1:" + std::to_string(metrics_port)});
  REQUIRE(server.wait_ready());
  auto cli = server.client();
  auto on_widget = cli.Get("/metrics");
  REQUIRE(on_widget);
  CHECK(on_widget->status == 404);
  httplib::Client metrics("127.0.0.1", metrics_port);
  auto r = metrics.Get("/metrics");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.find("stork_http_requests_total") != std::string::npos);
  CHECK(run_stork_stderr("serve --metrics-listen nonsense --db '" + (dir.path() / "x.db").string() + "'").first == 2);
}
