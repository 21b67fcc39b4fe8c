#pragma once
// `stork serve` as a child process on a free loopback port and a database
// of the test's choice (a fresh_database() of the backend under test, see
// test_database.hpp): started and waited for until /healthz says 200,
// stopped with any signal (SIGKILL is a crash), started again on the same
// port and database, and killed when it goes out of scope.

#include "child_process.hpp"

#include <httplib.h>

#include <csignal>
#include <memory>
#include <string>
#include <vector>

namespace stork::test {

// The --public-origin of every served process: where the widget lives.
inline constexpr const char* kServedOrigin = "https://widget.test";

class StorkServer {
 public:
  // `stork serve --listen 127.0.0.1:PORT --db DB --public-origin
  // kServedOrigin EXTRA...`; returns once it is healthy.
  explicit StorkServer(std::string db, std::vector<std::string> extra_args = {});
  StorkServer(const StorkServer&) = delete;
  StorkServer& operator=(const StorkServer&) = delete;

  int port() const { return port_; }
  const std::string& db() const { return db_; }
  // A client of this server (10 s to read, 2 s to connect).
  httplib::Client client() const;
  // GET /healthz: 200 while the store is reachable, 503 while not, 0 when
  // nothing answers.
  int health() const;

  // Sends sig and waits for the exit: SIGKILL is a crash, SIGTERM a clean
  // stop. The result holds what this run wrote.
  ProcessResult stop(int sig = SIGKILL);
  // Starts it again (same port, database and options); returns once healthy.
  void start();
  // Everything every run of this server wrote so far, standard output
  // then standard error of each run.
  std::string log() const;

 private:
  // Starts the process and waits until it is healthy; false when it could
  // not listen on port_ (taken), throws on any other failure.
  bool launch();

  std::string db_;
  std::vector<std::string> extra_args_;
  int port_;
  std::unique_ptr<RunningStork> process_;
  std::string past_runs_;
};

}  // namespace stork::test
