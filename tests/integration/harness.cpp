#include "harness.hpp"

#include "accounts/account_store.hpp"
#include "seed/seed.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace stork::itest {
namespace {

Reply to_reply(const httplib::Result& result, const std::string& what) {
  if (!result) FAIL("no HTTP response for " << what << ": " << httplib::to_string(result.error()));
  Reply r;
  r.status = result->status;
  r.headers = result->headers;
  r.body = result->body;
  return r;
}

void seed(App& app) {
  SeedOptions options;
  options.users = 0;
  options.products = 5;
  options.ratings = 0;
  options.wishlist = 0;
  options.threads = 1;
  const auto now = unix_now();
  seed_workload(*app.backend, options, now, nullptr);  // products 1..5 and 1337
  const Argon2Params params = cheap_argon2();
  REQUIRE(app.accounts.add({"alice", "Alice", "Archer", hash_password(kAlicePassword, params)}, now));
  REQUIRE(app.accounts.add({"bob", "Bob", "Brook", hash_password(kBobPassword, params)}, now));
  const auto carol = app.accounts.add({"carol", "Carol", "Cole", hash_password(kCarolPassword, params)}, now);
  REQUIRE(carol);
  app.accounts.set_disabled(carol->id, true);
  app.backend->publishers().add("acme", "Acme News", {kPublisherOrigin, kSecondPublisherOrigin}, now);
  app.publishers.refresh();
}

}  // namespace

std::string Reply::header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::vector<std::string> Reply::all(const std::string& name) const {
  std::vector<std::string> out;
  const auto [from, to] = headers.equal_range(name);
  for (auto it = from; it != to; ++it) out.push_back(it->second);
  return out;
}

nlohmann::json Reply::json() const {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) FAIL("not JSON (status " << status << "): " << body);
  return j;
}

TestServer::TestServer(const std::function<void(Config&)>& tweak) {
  Config cfg;
  cfg.db_path = test::fresh_database(dir_);
  cfg.public_origin = kWidgetOrigin;
  cfg.listen = {"127.0.0.1", 0};
  cfg.argon2 = cheap_argon2();
  cfg.worker_threads = 8;
  cfg.keep_alive_seconds = 1;
  cfg.read_timeout_seconds = 2;
  cfg.write_timeout_seconds = 2;
  if (tweak) tweak(cfg);
  app_ = std::make_unique<App>(cfg, &clock_);
  seed(*app_);
  server_ = std::make_unique<HttpServer>(*app_);
  port_ = server_->bind(cfg.listen);
  REQUIRE(port_ > 0);
  thread_ = std::thread([this] {
    server_->run();
    finished_ = true;
  });
  // Serving once /healthz answers; the socket already listens, so a
  // request made before run() starts just waits in the backlog.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    httplib::Client cli("127.0.0.1", port_);
    cli.set_connection_timeout(1, 0);
    if (const auto res = cli.Get("/healthz"); res && res->status == 200) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL("the server did not start serving");
}

TestServer::~TestServer() {
  // stop() is a no-op until the server loop runs; repeat until it ended.
  while (!finished_) {
    server_->stop();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  thread_.join();
}

std::int64_t TestServer::user_id(const std::string& username) {
  const auto user = app_->accounts.find(username);
  REQUIRE(user);
  return user->id;
}

std::int64_t TestServer::scalar(const std::string& sql) {
  return test::database_scalar(app_->config.db_path, sql);
}

Reply TestServer::get(const std::string& path, const httplib::Headers& headers) {
  httplib::Client cli("127.0.0.1", port_);
  cli.set_read_timeout(5, 0);
  return to_reply(cli.Get(path.c_str(), headers), "GET " + path);
}

Reply TestServer::options(const std::string& path, const httplib::Headers& headers) {
  httplib::Client cli("127.0.0.1", port_);
  cli.set_read_timeout(5, 0);
  return to_reply(cli.Options(path.c_str(), headers), "OPTIONS " + path);
}

Reply TestServer::send(const std::string& method, const std::string& path,
                       const httplib::Headers& headers, const std::string& body,
                       const std::string& content_type) {
  httplib::Client cli("127.0.0.1", port_);
  cli.set_read_timeout(5, 0);
  const std::string what = method + " " + path;
  const char* type = content_type.c_str();
  if (method == "POST") return to_reply(cli.Post(path.c_str(), headers, body, type), what);
  if (method == "PUT") return to_reply(cli.Put(path.c_str(), headers, body, type), what);
  if (method == "DELETE") return to_reply(cli.Delete(path.c_str(), headers, body, type), what);
  FAIL("unsupported method " << method);
  return {};
}

std::string TestServer::raw(const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) response.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return response;
}

httplib::Headers widget_headers() {
  return {{"Origin", kWidgetOrigin}, {"Sec-Fetch-Site", "same-origin"}};
}

httplib::Headers with(httplib::Headers base, const httplib::Headers& more) {
  base.insert(more.begin(), more.end());
  return base;
}

httplib::Headers sid_cookie(const std::string& token) { return {{"Cookie", "stork_sid=" + token}}; }
httplib::Headers psid_cookie(const std::string& token) {
  return {{"Cookie", "__Host-stork_psid=" + token}};
}
httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
httplib::Headers csrf(const std::string& token) { return {{"X-CSRF-Token", token}}; }

std::string cookie_value(const std::string& set_cookie, const std::string& name) {
  const std::string prefix = name + "=";
  if (set_cookie.rfind(prefix, 0) != 0) return {};
  const auto end = set_cookie.find(';');
  return set_cookie.substr(prefix.size(), end == std::string::npos ? end : end - prefix.size());
}

Login login(TestServer& server, const std::string& username, const std::string& password,
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

}  // namespace stork::itest
