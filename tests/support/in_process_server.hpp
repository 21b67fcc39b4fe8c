#pragma once
// The one in-process Stork server of the integration and security suites:
// App on a store of the backend under test (a fresh SQLite file, or a new
// PostgreSQL database with STORK_TEST_BACKEND=postgresql; test_database.hpp)
// over an injected ManualClock, HttpServer on a free loopback port serving
// on its own thread until the end of the test, and the same seeded
// products, publisher and users for every test (seeded_store.hpp).

#include "http_client.hpp"
#include "seeded_store.hpp"
#include "test_support.hpp"
#include "app.hpp"
#include "clock.hpp"
#include "http/http_server.hpp"
#include "http/metrics_listener.hpp"

#include <httplib.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace stork::test {

struct ServerOptions {
  // The last word on the configuration, after the fields below.
  std::function<void(Config&)> tweak{};
  Argon2Params argon2 = cheap_argon2();  // most tests are about HTTP, not hashing
  std::size_t workers = 64;
  std::string trusted_proxy{};
  std::string tls_cert{};
  std::string tls_key{};
  bool metrics_listener = false;  // serve /metrics on a listener of its own
  // Use this store (a --db value, from fresh_database()) instead of a fresh
  // one, so that two servers (two processes, as far as the store can tell)
  // share their state. It is seeded only if it has not been yet.
  std::string db{};
  // The clock to run on instead of the server's own ManualClock: servers
  // that share a store share a clock too, as processes on one machine do.
  ManualClock* clock = nullptr;
};

class TestServer {
 public:
  explicit TestServer(ServerOptions options = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  App& app() { return *app_; }
  // The server's clock: tests age sessions and wait out back-offs by moving it.
  ManualClock& clock() { return *clock_; }
  int port() const { return port_; }
  int metrics_port() const { return metrics_port_; }
  // The --db value: a SQLite path or a postgresql:// URL.
  const std::string& db() const { return db_; }

  // Adds a user with this password (hashed with the server's parameters).
  User add_user(const std::string& username, const std::string& password);
  std::int64_t user_id(const std::string& username);
  // One number from the store, e.g. "SELECT count(*) FROM sessions".
  std::int64_t scalar(const std::string& sql) const;

  // A client of this server that opens a connection per request.
  httplib::Client client() const;
  Reply get(const std::string& path, const httplib::Headers& headers = {}) const;
  Reply options(const std::string& path, const httplib::Headers& headers = {}) const;
  // POST/PUT/DELETE with a body (empty: none).
  Reply send(const std::string& method, const std::string& path, const httplib::Headers& headers,
             const std::string& body = {}, const std::string& content_type = "application/json") const;
  // Bytes as written, for what the client library would not send; the
  // answer is read until the server closes the connection.
  std::string raw(const std::string& request) const;

 private:
  void wait_until_serving(bool tls) const;

  TempDir dir_;
  std::string db_;
  ManualClock own_clock_;
  ManualClock* clock_;
  std::unique_ptr<App> app_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::atomic<bool> finished_{false};
  int port_ = -1;
  std::unique_ptr<MetricsListener> metrics_;
  std::thread metrics_thread_;
  int metrics_port_ = -1;
};

// POST /api/login as the widget does. extra: more JSON fields; headers:
// more headers (a Cookie, an X-Forwarded-For).
Login login(const TestServer& server, const std::string& username, const std::string& password,
            const nlohmann::json& extra = nlohmann::json::object(), const httplib::Headers& headers = {});

}  // namespace stork::test
