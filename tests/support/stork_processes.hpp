#pragma once
// Several real `stork serve` processes (stork_server.hpp) on one fresh
// database of the backend under test (test_database.hpp): users and a
// publisher are added with the real `stork` commands, and requests go to
// one process by index, as a load balancer would send them.

#include "change_bound.hpp"
#include "stork_server.hpp"
#include "test_support.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace stork::test {

struct ProcessReply {
  int status = 0;  // 0: no answer
  std::string body;
  httplib::Headers headers;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

// A signed-in visitor: the session token (cookie) and its CSRF token.
struct Visitor {
  std::string token;
  std::string csrf;
};

// The session token a response sets in stork_sid, or "".
std::string session_cookie_of(const httplib::Headers& headers);

class StorkProcesses {
 public:
  // The origin of the publisher the constructor registers ("acme").
  static constexpr const char* kPublisherOrigin = "https://acme.test";

  // users: (username, password) pairs, added with `stork user add`.
  StorkProcesses(int processes, const std::vector<std::pair<std::string, std::string>>& users);
  StorkProcesses(const StorkProcesses&) = delete;
  StorkProcesses& operator=(const StorkProcesses&) = delete;

  // The --db value they share.
  const std::string& db() const { return db_; }
  std::size_t size() const { return servers_.size(); }
  StorkServer& server(std::size_t process) { return *servers_.at(process); }

  // SIGKILL of one process, as a crash; start() brings it back on the
  // same port and waits until it answers /healthz.
  void kill(std::size_t process) { server(process).stop(SIGKILL); }
  void start(std::size_t process) { server(process).start(); }
  int health(std::size_t process) { return server(process).health(); }

  // Runs a `stork` command on this database; returns its exit code.
  int command(std::vector<std::string> args, const std::string& stdin_text = {});

  ProcessReply get(std::size_t process, const std::string& path, const httplib::Headers& headers = {});
  ProcessReply send(std::size_t process, const std::string& method, const std::string& path,
                    const httplib::Headers& headers, const std::string& body);

  // POST /api/login through one process. Status in `status` if given.
  Visitor login(std::size_t process, const std::string& username, const std::string& password,
                int* status = nullptr);
  // GET /api/me with the visitor's cookie: 200 or 401.
  int me(std::size_t process, const Visitor& v);

  // How long a change committed through one process may take to show on
  // another (change_bound.hpp). The processes set the read cache's own age
  // limit to a minute, so only the change feed can meet it.
  static constexpr std::chrono::milliseconds kChangeBound = test::kChangeBound;
  // me(), asked again until it answers `expected` or kChangeBound has
  // passed since the first ask; the last answer. The longest wait so far
  // is kept for the report.
  int me_settled(std::size_t process, const Visitor& v, int expected);
  // The same for any check of a reply from one process.
  bool settled(const std::function<bool()>& check);
  std::chrono::microseconds longest_wait() const { return longest_wait_; }
  // A state change with the visitor's cookie and CSRF token, from the widget.
  ProcessReply act(std::size_t process, const Visitor& v, const std::string& method, const std::string& path,
                   const std::string& body = {});

 private:
  TempDir dir_;  // the SQLite file, when that is the backend
  std::string db_;
  std::vector<std::unique_ptr<StorkServer>> servers_;
  std::chrono::microseconds longest_wait_{0};
};

}  // namespace stork::test
