#include "stork_processes.hpp"

#include "pg_cluster.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace stork::ctest {
namespace {

httplib::Headers widget_headers() { return {{"Origin", kWidgetOrigin}, {"Sec-Fetch-Site", "same-origin"}}; }

}  // namespace

std::string session_cookie_of(const httplib::Headers& headers) {
  const std::string prefix = "stork_sid=";
  for (auto [it, end] = headers.equal_range("Set-Cookie"); it != end; ++it) {
    if (it->second.rfind(prefix, 0) == 0) {
      const auto semi = it->second.find(';');
      return it->second.substr(prefix.size(), semi == std::string::npos ? semi : semi - prefix.size());
    }
  }
  return {};
}

namespace {

bool healthy(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(0, 200'000);
  const auto res = c.Get("/healthz");
  return res && res->status == 200;
}

}  // namespace

StorkProcesses::StorkProcesses(int processes, const std::vector<std::pair<std::string, std::string>>& users)
    : url_(test::shared_pg_cluster().create_database()) {
  REQUIRE(command({"migrate"}) == 0);
  REQUIRE(command({"publisher", "add", "acme", "--origin", kPublisherOrigin}) == 0);
  for (const auto& [name, password] : users) {
    REQUIRE(command({"user", "add", name, "--first", name, "--last", "Tester"}, password + "\n") == 0);
  }
  for (int i = 0; i < processes; ++i) {
    ports_.push_back(test::free_port());
    servers_.emplace_back();
    start(ports_.size() - 1);
  }
}

void StorkProcesses::start(std::size_t process) {
  servers_.at(process) = std::make_unique<itest::RunningStork>(std::vector<std::string>{
      "serve", "--listen", "127.0.0.1:" + std::to_string(ports_.at(process)), "--db", url_, "--public-origin",
      kWidgetOrigin, "--workers", "16", "--db-pool", "4"});
  wait_until_healthy(process);
}

void StorkProcesses::kill(std::size_t process) {
  servers_.at(process)->stop(SIGKILL);
  servers_.at(process).reset();
}

int StorkProcesses::health(std::size_t process) {
  httplib::Client c("127.0.0.1", ports_.at(process));
  c.set_connection_timeout(0, 300'000);
  c.set_read_timeout(3, 0);
  const auto res = c.Get("/healthz");
  return res ? res->status : 0;
}

void StorkProcesses::wait_until_healthy(std::size_t process) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!healthy(ports_.at(process))) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("stork serve did not start");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

StorkProcesses::~StorkProcesses() = default;

int StorkProcesses::command(std::vector<std::string> args, const std::string& stdin_text) {
  args.push_back("--db");
  args.push_back(url_);
  const itest::ProcessResult r = itest::run_stork(args, stdin_text, std::chrono::seconds(30));
  if (r.exit_code != 0) MESSAGE("stork command failed: " << r.err);
  return r.exit_code;
}

Reply StorkProcesses::get(std::size_t process, const std::string& path, const httplib::Headers& headers) {
  httplib::Client c("127.0.0.1", ports_.at(process));
  c.set_read_timeout(10, 0);
  Reply out;
  if (const auto res = c.Get(path.c_str(), headers)) out = {res->status, res->body, res->headers};
  return out;
}

Reply StorkProcesses::send(std::size_t process, const std::string& method, const std::string& path,
                           const httplib::Headers& headers, const std::string& body) {
  httplib::Client c("127.0.0.1", ports_.at(process));
  c.set_read_timeout(10, 0);
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.headers = headers;
  if (!body.empty()) {
    req.body = body;
    req.set_header("Content-Type", "application/json");
  }
  Reply out;
  if (const auto res = c.send(req)) out = {res->status, res->body, res->headers};
  return out;
}

Visitor StorkProcesses::login(std::size_t process, const std::string& username, const std::string& password,
                              int* status) {
  const nlohmann::json body = {{"username", username}, {"password", password}};
  const Reply r = send(process, "POST", "/api/login", widget_headers(), body.dump());
  if (status) *status = r.status;
  if (r.status != 200) return {};
  return {session_cookie_of(r.headers), r.json().value("csrf", "")};
}

int StorkProcesses::me(std::size_t process, const Visitor& v) {
  return get(process, "/api/me", {{"Cookie", "stork_sid=" + v.token}}).status;
}

Reply StorkProcesses::act(std::size_t process, const Visitor& v, const std::string& method, const std::string& path,
                          const std::string& body) {
  httplib::Headers h = widget_headers();
  h.emplace("Cookie", "stork_sid=" + v.token);
  h.emplace("X-CSRF-Token", v.csrf);
  return send(process, method, path, h, body);
}

}  // namespace stork::ctest
