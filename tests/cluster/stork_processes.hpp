#pragma once
// The harness of the cluster tests: one fresh database on the binary's
// throwaway PostgreSQL, users and a publisher added with the real `stork`
// commands, and N real `stork serve` processes on it, each on its own
// loopback port. Requests go to one process by index, as a load balancer
// would send them.

#include "process.hpp"
#include "test_support.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace stork::ctest {

inline constexpr const char* kWidgetOrigin = "https://widget.test";
inline constexpr const char* kPublisherOrigin = "https://acme.test";

struct Reply {
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
  // users: (username, password) pairs, added with `stork user add`.
  StorkProcesses(int processes, const std::vector<std::pair<std::string, std::string>>& users);
  ~StorkProcesses();
  StorkProcesses(const StorkProcesses&) = delete;
  StorkProcesses& operator=(const StorkProcesses&) = delete;

  const std::string& url() const { return url_; }
  std::size_t size() const { return ports_.size(); }

  // SIGKILL of one process, as a crash; start() brings it back on the
  // same port and waits until it answers /healthz.
  void kill(std::size_t process);
  void start(std::size_t process);
  // GET /healthz: 200 while the store is reachable, 503 while not, 0 when
  // the process does not answer.
  int health(std::size_t process);

  // Runs a `stork` command on this database; returns its exit code.
  int command(std::vector<std::string> args, const std::string& stdin_text = {});

  Reply get(std::size_t process, const std::string& path, const httplib::Headers& headers = {});
  Reply send(std::size_t process, const std::string& method, const std::string& path,
             const httplib::Headers& headers, const std::string& body);

  // POST /api/login through one process. Status in `status` if given.
  Visitor login(std::size_t process, const std::string& username, const std::string& password,
                int* status = nullptr);
  // GET /api/me with the visitor's cookie: 200 or 401.
  int me(std::size_t process, const Visitor& v);
  // A state change with the visitor's cookie and CSRF token, from the widget.
  Reply act(std::size_t process, const Visitor& v, const std::string& method, const std::string& path,
            const std::string& body = {});

 private:
  std::string url_;
  std::vector<int> ports_;
  std::vector<std::unique_ptr<itest::RunningStork>> servers_;
  void wait_until_healthy(std::size_t process);
};

}  // namespace stork::ctest
