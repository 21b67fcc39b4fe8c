#include "support.hpp"

#include "sessions/cookies.hpp"
#include "postgresql/pg_connection.hpp"
#include "postgresql/pg_database.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <latch>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <vector>

namespace stork::test {

TestServer::TestServer(ServerOptions options)
    : db_(options.db.empty() ? fresh_database(dir_) : options.db) {
  Config cfg;
  cfg.db_path = db_;
  cfg.public_origin = kWidgetOrigin;
  cfg.argon2 = options.argon2;
  cfg.worker_threads = options.workers;
  cfg.trusted_proxy = options.trusted_proxy;
  cfg.tls_cert = options.tls_cert;
  cfg.tls_key = options.tls_key;
  cfg.keep_alive_seconds = 2;
  cfg.read_timeout_seconds = 2;
  cfg.write_timeout_seconds = 2;
  if (options.metrics_listener) cfg.metrics_listen = HostPort{"127.0.0.1", 0};
  app_ = std::make_unique<App>(cfg);
  // A store shared with an earlier server already has them.
  if (!app_->backend->products().find(1)) {
    app_->backend->publishers().add("pub", std::nullopt, {kPublisherOrigin}, unix_now());
    app_->publishers.refresh();
    app_->backend->products().upsert_all({
        {1, "Camera", "Stork", 19900, "EUR", "/assets/img/camera.svg"},
        {2, "Lens", "Stork", 9900, "EUR", "/assets/img/camera.svg"},
    });
  }
  server_ = std::make_unique<HttpServer>(*app_);
  port_ = server_->bind({"127.0.0.1", 0});
  if (port_ <= 0) throw std::runtime_error("cannot bind a test server");
  thread_ = std::thread([this] { server_->run(); });
  if (options.metrics_listener) {
    metrics_ = std::make_unique<MetricsListener>(*app_);
    metrics_port_ = metrics_->bind(*app_->config.metrics_listen);
    if (metrics_port_ <= 0) throw std::runtime_error("cannot bind a metrics listener");
    metrics_thread_ = std::thread([this] { metrics_->run(); });
  }
  // Ready when it answers.
  for (int i = 0; i < 200; ++i) {
    httplib::Client probe(std::string(options.tls_cert.empty() ? "http" : "https") + "://127.0.0.1:" +
                          std::to_string(port_));
    probe.enable_server_certificate_verification(false);
    if (auto r = probe.Get("/healthz"); r && r->status == 200) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("the test server did not come up");
}

TestServer::~TestServer() {
  if (metrics_) {
    while (!metrics_->running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    metrics_->stop();
  }
  if (metrics_thread_.joinable()) metrics_thread_.join();
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

User TestServer::add_user(const std::string& username, const std::string& password) {
  auto user = app_->accounts.add({username, "First", "Last", hash_password(password, app_->config.argon2)},
                                 unix_now());
  if (!user) throw std::runtime_error("user exists: " + username);
  return *user;
}

httplib::Client TestServer::client() const {
  httplib::Client cli("127.0.0.1", port_);
  cli.set_keep_alive(false);
  cli.set_read_timeout(10, 0);
  return cli;
}

httplib::Headers widget_headers(const std::string& cookie, const std::string& csrf) {
  httplib::Headers h{{"Origin", kWidgetOrigin}, {"Sec-Fetch-Site", "same-origin"}};
  if (!cookie.empty()) h.emplace("Cookie", cookie);
  if (!csrf.empty()) h.emplace("X-CSRF-Token", csrf);
  return h;
}

std::optional<std::string> set_cookie_line(const httplib::Response& res, const std::string& name) {
  const auto range = res.headers.equal_range("Set-Cookie");
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second.rfind(name + "=", 0) == 0) return it->second;
  }
  return std::nullopt;
}

std::string set_cookie_value(const httplib::Response& res, const std::string& name) {
  const auto line = set_cookie_line(res, name);
  if (!line) return {};
  const auto start = name.size() + 1;
  return line->substr(start, line->find(';') - start);
}

httplib::Result post_login(const httplib::Client& cli_const, const std::string& username,
                           const std::string& password, const httplib::Headers& extra) {
  auto& cli = const_cast<httplib::Client&>(cli_const);
  auto headers = widget_headers();
  headers.insert(extra.begin(), extra.end());
  const nlohmann::json body = {{"username", username}, {"password", password}};
  return cli.Post("/api/login", headers, body.dump(), "application/json");
}

std::optional<LoggedIn> login(const httplib::Client& cli_const, const std::string& username,
                              const std::string& password) {
  auto& cli = const_cast<httplib::Client&>(cli_const);
  const nlohmann::json body = {{"username", username}, {"password", password}};
  auto res = cli.Post("/api/login", widget_headers(), body.dump(), "application/json");
  if (!res || res->status != 200) return std::nullopt;
  const auto line = set_cookie_line(*res, "stork_sid");
  if (!line) return std::nullopt;
  const auto start = line->find('=') + 1;
  LoggedIn out;
  out.token = line->substr(start, line->find(';') - start);
  out.csrf = nlohmann::json::parse(res->body).at("csrf").get<std::string>();
  return out;
}

namespace {

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

namespace {

// Whether `raw` holds one complete response (head, and a body of the
// declared length).
bool complete_response(std::string raw) {
  // An interim 100 Continue is followed by the real response.
  while (raw.rfind("HTTP/1.1 100", 0) == 0 && raw.find("\r\n\r\n") != std::string::npos) {
    raw.erase(0, raw.find("\r\n\r\n") + 4);
  }
  if (raw.empty()) return false;
  const auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::string head = raw.substr(0, end);
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto at = head.find("\r\ncontent-length:");
  if (at == std::string::npos) return true;
  const auto length = std::strtoull(head.c_str() + at + 17, nullptr, 10);
  return raw.size() >= end + 4 + length;
}

}  // namespace

std::string raw_exchange(int port, const std::string& request, std::chrono::milliseconds wait) {
  const int fd = connect_loopback(port);
  if (fd < 0) return {};
  send_all(fd, request);  // the server may answer and close before reading it all
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline && !complete_response(out)) {
    pollfd p{fd, POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) break;
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

int status_of(const std::string& raw_response) {
  std::string raw = raw_response;
  while (raw.rfind("HTTP/1.1 100", 0) == 0 && raw.find("\r\n\r\n") != std::string::npos) {
    raw.erase(0, raw.find("\r\n\r\n") + 4);
  }
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) return 0;
  return std::atoi(raw.substr(9, 3).c_str());
}

RawConnection::RawConnection(int port) : fd_(connect_loopback(port)) {}
RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}
bool RawConnection::closed_by_peer_within(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    if (::recv(fd_, buf, sizeof buf, 0) <= 0) return true;
  }
  return false;
}

bool RawConnection::send(const std::string& bytes) { return fd_ >= 0 && send_all(fd_, bytes); }

std::map<int, int> concurrent_statuses(int n, const std::function<int(int)>& attempt) {
  std::map<int, int> counts;
  std::mutex counts_mutex;
  std::latch start(n);
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      const int status = attempt(i);
      std::lock_guard lock(counts_mutex);
      ++counts[status];
    });
  }
  for (auto& t : threads) t.join();
  return counts;
}

void wait_for_a_fresh_second() {
  using namespace std::chrono;
  const auto into = duration_cast<milliseconds>(system_clock::now().time_since_epoch()) % 1000;
  std::this_thread::sleep_for(milliseconds(1000) - into + milliseconds(5));
}

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

namespace {

// The same fingerprint in each engine's dialect (aggregate concatenation
// is not portable).
const std::vector<std::string> kSqliteFingerprint = {
    "SELECT count(*) || ':' || total(length(username || password_hash || disabled)) FROM users",
    "SELECT count(*) || ':' || group_concat(token_hash || user_id || absolute_expires_at, ',') FROM "
    "(SELECT * FROM sessions ORDER BY token_hash)",
    "SELECT count(*) || ':' || group_concat(user_id || '/' || product_id || '/' || stars, ',') "
    "FROM (SELECT * FROM ratings ORDER BY user_id, product_id)",
    "SELECT count(*) || ':' || group_concat(user_id || '/' || product_id, ',') "
    "FROM (SELECT * FROM wishlist ORDER BY user_id, product_id)",
    "SELECT group_concat(id || '/' || rating_sum || '/' || rating_count, ',') FROM products",
};
const std::vector<std::string> kPostgresqlFingerprint = {
    "SELECT count(*) || ':' || coalesce(sum(length(username || password_hash || disabled::text)), 0) "
    "FROM users",
    "SELECT count(*) || ':' || coalesce(string_agg(token_hash || user_id || absolute_expires_at, ',' "
    "ORDER BY token_hash), '') FROM sessions",
    "SELECT count(*) || ':' || coalesce(string_agg(user_id || '/' || product_id || '/' || stars, ',' "
    "ORDER BY user_id, product_id), '') FROM ratings",
    "SELECT count(*) || ':' || coalesce(string_agg(user_id || '/' || product_id, ',' "
    "ORDER BY user_id, product_id), '') FROM wishlist",
    "SELECT string_agg(id || '/' || rating_sum || '/' || rating_count, ',' ORDER BY id) FROM products",
};

}  // namespace

std::string database_fingerprint(const std::string& db) {
  std::string out;
  if (pg::is_postgresql_url(db)) {
    pg::Connection conn(db);
    for (const auto& q : kPostgresqlFingerprint) {
      const pg::Result r = conn.exec(q);
      if (r.rows() == 1 && !r.is_null(0, 0)) out += r.string(0, 0);
      out += "|";
    }
    return out;
  }
  SQLite::Database conn(db, SQLite::OPEN_READONLY);
  for (const auto& q : kSqliteFingerprint) {
    SQLite::Statement st(conn, q);
    if (st.executeStep() && !st.getColumn(0).isNull()) out += st.getColumn(0).getString();
    out += "|";
  }
  return out;
}

}  // namespace stork::test
