#pragma once
// A real Stork server on a free loopback port, backed by a fresh database of
// the backend under test (a SQLite file in a temporary directory, or a
// PostgreSQL database with STORK_TEST_BACKEND=postgresql; test_database.hpp),
// plus raw-socket and HTTP helpers.

#include "test_database.hpp"
#include "test_support.hpp"
#include "accounts/password.hpp"
#include "app.hpp"
#include "http/http_server.hpp"
#include "http/metrics_listener.hpp"

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace stork::test {

// The widget origin the test servers believe they are served from.
inline const std::string kWidgetOrigin = "https://widget.test";
inline const std::string kPublisherOrigin = "https://publisher.test";

// Fast hashing for tests that are not about hashing cost.
inline Argon2Params fast_argon2() { return Argon2Params{1, 64u * 1024u}; }

struct ServerOptions {
  Argon2Params argon2 = fast_argon2();
  std::size_t workers = 64;
  std::string trusted_proxy{};
  std::string tls_cert{};
  std::string tls_key{};
  bool metrics_listener = false;  // serve /metrics on a listener of its own
  // Use this store (a --db value, from fresh_database()) instead of a fresh
  // one, so that two servers (two processes, as far as the store can tell)
  // share their state. The products and the publisher are written only if
  // the store has none yet.
  std::string db{};
};

class TestServer {
 public:
  explicit TestServer(ServerOptions options = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  App& app() { return *app_; }
  int port() const { return port_; }
  int metrics_port() const { return metrics_port_; }
  // The --db value: a SQLite path or a postgresql:// URL.
  const std::string& db() const { return db_; }

  // Adds a user with this password (hashed with the server's parameters).
  User add_user(const std::string& username, const std::string& password);

  httplib::Client client() const;

 private:
  TempDir dir_;
  std::string db_;
  std::unique_ptr<App> app_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  int port_ = -1;
  std::unique_ptr<MetricsListener> metrics_;
  std::thread metrics_thread_;
  int metrics_port_ = -1;
};

// Headers a same-origin fetch from the widget sends.
httplib::Headers widget_headers(const std::string& cookie = {}, const std::string& csrf = {});

struct LoggedIn {
  std::string token;  // the stork_sid value
  std::string csrf;
  std::string cookie() const { return "stork_sid=" + token; }
};
// Logs in over HTTP; nullopt unless 200.
std::optional<LoggedIn> login(const httplib::Client& cli, const std::string& username,
                              const std::string& password);

// One POST /api/login with the widget's headers plus `extra` (a Cookie, an
// X-Forwarded-For); the result as it came.
httplib::Result post_login(const httplib::Client& cli, const std::string& username,
                           const std::string& password, const httplib::Headers& extra = {});

// Value of a Set-Cookie cookie by name from a response, if set.
std::optional<std::string> set_cookie_line(const httplib::Response& res, const std::string& name);
// Just the value of that cookie ("" when not set).
std::string set_cookie_value(const httplib::Response& res, const std::string& name);

// Runs attempt(i) for every i in [0, n) on n threads released at once and
// counts the statuses they return (-1 for no response).
std::map<int, int> concurrent_statuses(int n, const std::function<int(int)>& attempt);

// Sleeps until the wall clock has just passed a whole second. The server
// counts back-offs in whole seconds; a short sequence that must meet a 1 s
// back-off starts here, so that it fits in one clock second.
void wait_for_a_fresh_second();

// Raw HTTP over a socket: sends bytes, reads until the peer closes or
// `wait` passes. Returns what was read ("" when nothing).
std::string raw_exchange(int port, const std::string& request,
                         std::chrono::milliseconds wait = std::chrono::milliseconds(3000));
// Status code of a raw response, 0 when none.
int status_of(const std::string& raw_response);

// A connected socket that the caller keeps open (for slow clients).
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  RawConnection(RawConnection&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  bool send(const std::string& bytes);
  bool connected() const { return fd_ >= 0; }
  // Reads (and drops) whatever comes until the peer closes; false if it
  // has not closed within `wait`.
  bool closed_by_peer_within(std::chrono::milliseconds wait);

 private:
  int fd_ = -1;
};

// Resident set size of this process, in KiB.
long rss_kib();

// Counts and a checksum of users, sessions, ratings, wishlist and
// products' aggregates, read with a separate connection (db: a --db value).
std::string database_fingerprint(const std::string& db);

}  // namespace stork::test
