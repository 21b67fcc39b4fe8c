#include "stork_processes.hpp"

#include "test_database.hpp"

#include <doctest/doctest.h>

#include <thread>

namespace stork::test {
namespace {

httplib::Headers widget_headers() { return {{"Origin", kServedOrigin}, {"Sec-Fetch-Site", "same-origin"}}; }

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

StorkProcesses::StorkProcesses(int processes, const std::vector<std::pair<std::string, std::string>>& users)
    : db_(fresh_database(dir_)) {
  REQUIRE(command({"migrate"}) == 0);
  REQUIRE(command({"publisher", "add", "acme", "--origin", kPublisherOrigin}) == 0);
  for (const auto& [name, password] : users) {
    REQUIRE(command({"user", "add", name, "--first", name, "--last", "Tester"}, password + "\n") == 0);
  }
  for (int i = 0; i < processes; ++i) {
    // --db-pool bounds PostgreSQL connections (SQLite ignores it): three
    // processes stay well inside the throwaway cluster's limit.
    servers_.push_back(std::make_unique<StorkServer>(db_, std::vector<std::string>{"--workers", "16", "--db-pool", "4", "--read-cache-ms", "60000"}));
  }
}

int StorkProcesses::command(std::vector<std::string> args, const std::string& stdin_text) {
  args.push_back("--db");
  args.push_back(db_);
  const ProcessResult r = run_stork(args, stdin_text, std::chrono::seconds(30));
  if (r.exit_code != 0) MESSAGE("stork command failed: " << r.err);
  return r.exit_code;
}

ProcessReply StorkProcesses::get(std::size_t process, const std::string& path, const httplib::Headers& headers) {
  ProcessReply out;
  if (const auto res = server(process).client().Get(path.c_str(), headers)) out = {res->status, res->body, res->headers};
  return out;
}

ProcessReply StorkProcesses::send(std::size_t process, const std::string& method, const std::string& path,
                                  const httplib::Headers& headers, const std::string& body) {
  httplib::Request req;
  req.method = method;
  req.path = path;
  req.headers = headers;
  if (!body.empty()) {
    req.body = body;
    req.set_header("Content-Type", "application/json");
  }
  ProcessReply out;
  if (const auto res = server(process).client().send(req)) out = {res->status, res->body, res->headers};
  return out;
}

Visitor StorkProcesses::login(std::size_t process, const std::string& username, const std::string& password,
                              int* status) {
  const nlohmann::json body = {{"username", username}, {"password", password}};
  const ProcessReply r = send(process, "POST", "/api/login", widget_headers(), body.dump());
  if (status) *status = r.status;
  if (r.status != 200) return {};
  return {session_cookie_of(r.headers), r.json().value("csrf", "")};
}

int StorkProcesses::me(std::size_t process, const Visitor& v) {
  return get(process, "/api/me", {{"Cookie", "stork_sid=" + v.token}}).status;
}

bool StorkProcesses::settled(const std::function<bool()>& check) {
  const auto waited = within_change_bound(check);
  if (waited) longest_wait_ = std::max(longest_wait_, *waited);
  return waited.has_value();
}

int StorkProcesses::me_settled(std::size_t process, const Visitor& v, int expected) {
  int status = 0;
  settled([&] { return (status = me(process, v)) == expected; });
  return status;
}

ProcessReply StorkProcesses::act(std::size_t process, const Visitor& v, const std::string& method,
                                 const std::string& path, const std::string& body) {
  httplib::Headers h = widget_headers();
  h.emplace("Cookie", "stork_sid=" + v.token);
  h.emplace("X-CSRF-Token", v.csrf);
  return send(process, method, path, h, body);
}

}  // namespace stork::test
