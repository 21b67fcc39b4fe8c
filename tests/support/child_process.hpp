#pragma once
// The `stork` binary as a child process, for tests of the real thing: a
// command run to its end with a deadline (killed if it outlives it, so a
// test never hangs on a server that should have refused to start), or a
// long-running one (serve, demo) whose output is read while it runs, so a
// chatty server never blocks on a full pipe.

#include <sys/types.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#ifndef STORK_BINARY
#error "STORK_BINARY must name the stork executable"
#endif

namespace stork::test {

struct ProcessResult {
  int exit_code = -1;  // -1: killed or did not exit normally
  bool timed_out = false;
  std::string out;
  std::string err;
};

// The child's environment is the test's minus STORK_*, plus `env`
// ("NAME=value" entries), so the test alone decides what stork sees.
ProcessResult run_stork(const std::vector<std::string>& args, const std::string& stdin_text = {},
                        std::chrono::milliseconds deadline = std::chrono::seconds(20),
                        const std::vector<std::string>& env = {});

// A long-running `stork`. Killed (SIGKILL) when destroyed, whatever happened.
class RunningStork {
 public:
  explicit RunningStork(const std::vector<std::string>& args, const std::vector<std::string>& env = {});
  ~RunningStork();
  RunningStork(const RunningStork&) = delete;
  RunningStork& operator=(const RunningStork&) = delete;

  // False once it has exited (on its own or stopped).
  bool running();
  // What it has written so far.
  std::string out() const;
  std::string err() const;

  // Sends sig and collects the exit (SIGKILL after the deadline). The
  // result holds everything it wrote.
  ProcessResult stop(int sig, std::chrono::milliseconds deadline = std::chrono::seconds(10));

 private:
  void drain(int out_fd, int err_fd);

  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  mutable std::mutex mutex_;
  std::string out_;
  std::string err_;
  std::thread reader_;
};

}  // namespace stork::test
