#include "in_process_server.hpp"

#include "raw_socket.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>

namespace stork::test {

TestServer::TestServer(ServerOptions options)
    : db_(options.db.empty() ? fresh_database(dir_) : options.db),
      clock_(options.clock ? options.clock : &own_clock_) {
  Config cfg;
  cfg.db_path = db_;
  cfg.public_origin = kWidgetOrigin;
  cfg.listen = {"127.0.0.1", 0};
  cfg.argon2 = options.argon2;
  cfg.worker_threads = options.workers;
  cfg.trusted_proxy = options.trusted_proxy;
  cfg.tls_cert = options.tls_cert;
  cfg.tls_key = options.tls_key;
  cfg.keep_alive_seconds = 2;
  cfg.read_timeout_seconds = 2;
  cfg.write_timeout_seconds = 2;
  if (options.metrics_listener) cfg.metrics_listen = HostPort{"127.0.0.1", 0};
  if (options.tweak) options.tweak(cfg);
  app_ = std::make_unique<App>(cfg, clock_);
  seed_store(*app_);
  server_ = std::make_unique<HttpServer>(*app_);
  port_ = server_->bind(cfg.listen);
  if (port_ <= 0) throw std::runtime_error("cannot bind a test server");
  thread_ = std::thread([this] {
    server_->run();
    finished_ = true;
  });
  if (app_->config.metrics_listen) {
    metrics_ = std::make_unique<MetricsListener>(*app_);
    metrics_port_ = metrics_->bind(*app_->config.metrics_listen);
    if (metrics_port_ <= 0) throw std::runtime_error("cannot bind a metrics listener");
    metrics_thread_ = std::thread([this] { metrics_->run(); });
  }
  wait_until_serving(!cfg.tls_cert.empty());
}

// Serving once /healthz answers; the socket already listens, so a request
// made before run() starts just waits in the backlog.
void TestServer::wait_until_serving(bool tls) const {
  const std::string base = std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    httplib::Client probe(base);
    probe.enable_server_certificate_verification(false);
    probe.set_connection_timeout(1, 0);
    if (const auto res = probe.Get("/healthz"); res && res->status == 200) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("the test server did not start serving");
}

TestServer::~TestServer() {
  if (metrics_) {
    while (!metrics_->running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    metrics_->stop();
  }
  if (metrics_thread_.joinable()) metrics_thread_.join();
  // stop() is a no-op until the server loop runs; repeat until it ended.
  while (!finished_) {
    server_->stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  thread_.join();
}

User TestServer::add_user(const std::string& username, const std::string& password) {
  auto user = app_->accounts.add({username, "First", "Last", hash_password(password, app_->config.argon2)},
                                 clock_->now());
  if (!user) throw std::runtime_error("user exists: " + username);
  return *user;
}

std::int64_t TestServer::user_id(const std::string& username) {
  const auto user = app_->accounts.find(username);
  REQUIRE(user);
  return user->id;
}

std::int64_t TestServer::scalar(const std::string& sql) const { return database_scalar(db_, sql); }

httplib::Client TestServer::client() const {
  httplib::Client cli("127.0.0.1", port_);
  cli.set_keep_alive(false);
  cli.set_read_timeout(10, 0);
  return cli;
}

Reply TestServer::get(const std::string& path, const httplib::Headers& headers) const {
  auto cli = client();
  return to_reply(cli.Get(path.c_str(), headers), "GET " + path);
}

Reply TestServer::options(const std::string& path, const httplib::Headers& headers) const {
  auto cli = client();
  return to_reply(cli.Options(path.c_str(), headers), "OPTIONS " + path);
}

Reply TestServer::send(const std::string& method, const std::string& path, const httplib::Headers& headers,
                       const std::string& body, const std::string& content_type) const {
  auto cli = client();
  const std::string what = method + " " + path;
  const char* type = content_type.c_str();
  if (method == "POST") return to_reply(cli.Post(path.c_str(), headers, body, type), what);
  if (method == "PUT") return to_reply(cli.Put(path.c_str(), headers, body, type), what);
  if (method == "DELETE") return to_reply(cli.Delete(path.c_str(), headers, body, type), what);
  FAIL("unsupported method " << method);
  return {};
}

std::string TestServer::raw(const std::string& request) const {
  RawConnection connection(port_);
  if (!connection.send(request)) return {};
  return connection.read_until_closed(std::chrono::seconds(5));
}

Login login(const TestServer& server, const std::string& username, const std::string& password,
            const nlohmann::json& extra, const httplib::Headers& headers) {
  nlohmann::json body = {{"username", username}, {"password", password}};
  for (const auto& [k, v] : extra.items()) body[k] = v;
  Login out;
  out.reply = server.send("POST", "/api/login", with(widget_headers(), headers), body.dump());
  if (out.reply.status != 200) return out;
  const auto j = out.reply.json();
  out.csrf = j.value("csrf", "");
  if (j.contains("token")) {
    out.token = j["token"].get<std::string>();
  } else {
    for (const auto& line : out.reply.all("Set-Cookie")) {
      if (const auto v = cookie_value(line, "stork_sid"); !v.empty()) out.token = v;
    }
  }
  return out;
}

}  // namespace stork::test
