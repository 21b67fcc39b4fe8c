#pragma once
// A real Stork server for one test: App on a fresh database of the backend
// under test (a SQLite file, or PostgreSQL with STORK_TEST_BACKEND), HttpServer
// on a free loopback port, serving on its own thread until the end of the
// test. Plus small functions to speak HTTP to it the way the widget does.

#include "test_support.hpp"
#include "app.hpp"
#include "http/http_server.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace stork::itest {

inline constexpr const char* kWidgetOrigin = "https://widget.test";
inline constexpr const char* kPublisherOrigin = "https://acme.test";
inline constexpr const char* kSecondPublisherOrigin = "https://shop.acme.test";
inline constexpr const char* kForeignOrigin = "https://evil.test";

inline constexpr const char* kAlicePassword = "alice-password-1";
inline constexpr const char* kBobPassword = "bob-password-1";
inline constexpr const char* kCarolPassword = "carol-password-1";

using test::TempDir;
using test::cheap_argon2;  // the tests are about HTTP, not hashing

struct Reply {
  int status = 0;
  httplib::Headers headers;
  std::string body;

  std::string header(const std::string& name) const;
  bool has_header(const std::string& name) const { return headers.count(name) > 0; }
  std::vector<std::string> all(const std::string& name) const;
  nlohmann::json json() const;
};

class TestServer {
 public:
  // tweak may change the configuration before the server is built.
  explicit TestServer(const std::function<void(Config&)>& tweak = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  App& app() { return *app_; }
  // The server's clock: tests age sessions by moving it.
  ManualClock& clock() { return clock_; }
  int port() const { return port_; }
  std::int64_t user_id(const std::string& username);
  // One number from the database, e.g. "SELECT count(*) FROM sessions".
  std::int64_t scalar(const std::string& sql);

  Reply get(const std::string& path, const httplib::Headers& headers = {});
  Reply options(const std::string& path, const httplib::Headers& headers = {});
  // POST/PUT/DELETE with a JSON body (empty body: none).
  Reply send(const std::string& method, const std::string& path, const httplib::Headers& headers,
             const std::string& body = {}, const std::string& content_type = "application/json");
  // Bytes as written, for what the client library would not send.
  std::string raw(const std::string& request);

 private:
  TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<App> app_;
  std::unique_ptr<HttpServer> server_;
  int port_ = -1;
  std::thread thread_;
  std::atomic<bool> finished_{false};
};

// Headers of a request made by the widget's own page.
httplib::Headers widget_headers();
httplib::Headers with(httplib::Headers base, const httplib::Headers& more);
httplib::Headers sid_cookie(const std::string& token);
httplib::Headers psid_cookie(const std::string& token);
httplib::Headers bearer(const std::string& token);
httplib::Headers csrf(const std::string& token);

struct Login {
  Reply reply;
  std::string token;  // from Set-Cookie (or the body, cookieless)
  std::string csrf;
};

// POST /api/login as the widget does. extra: more JSON fields.
Login login(TestServer& server, const std::string& username, const std::string& password,
            const nlohmann::json& extra = nlohmann::json::object(),
            const httplib::Headers& headers = {});

// The value of `name=` in a Set-Cookie line, or "" if the line is not for name.
std::string cookie_value(const std::string& set_cookie, const std::string& name);

// A port nobody listens on right now.
using test::free_port;

}  // namespace stork::itest
