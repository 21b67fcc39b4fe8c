#pragma once
// Runs the `stork` binary as a child process with a deadline: it is killed
// if it outlives it, so a test never hangs on a server that should have
// refused to start.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace stork::itest {

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

// A long-running `stork` (e.g. serve). Killed when destroyed, whatever happened.
class RunningStork {
 public:
  explicit RunningStork(const std::vector<std::string>& args);
  ~RunningStork();
  RunningStork(const RunningStork&) = delete;
  RunningStork& operator=(const RunningStork&) = delete;

  // Sends sig and collects the exit (SIGKILL after the deadline).
  ProcessResult stop(int sig, std::chrono::milliseconds deadline = std::chrono::seconds(10));

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  int err_ = -1;
};

}  // namespace stork::itest
