#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace stork::itest {
namespace {

struct Spawned {
  pid_t pid = -1;
  int out = -1;
  int err = -1;
};

Spawned spawn(const std::vector<std::string>& args, const std::string& stdin_text,
              const std::vector<std::string>& env) {
  // Everything exec needs is prepared before fork: the child only calls
  // async-signal-safe functions.
  std::vector<std::string> words = {STORK_BINARY};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_copy = env;
  std::vector<char*> envp;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "STORK_", 6) != 0) envp.push_back(*e);
  }
  for (auto& e : env_copy) envp.push_back(e.data());
  envp.push_back(nullptr);

  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (!stdin_text.empty()) {
    // Small inputs only: they fit the pipe buffer.
    [[maybe_unused]] const auto written = ::write(in[1], stdin_text.data(), stdin_text.size());
  }
  ::close(in[1]);
  return {pid, out[0], err[0]};
}

// Reads both outputs to their end and reaps the child; kills it at the deadline.
ProcessResult collect(const Spawned& child, std::chrono::milliseconds deadline) {
  ProcessResult result;
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::array<pollfd, 2> fds{{{child.out, POLLIN, 0}, {child.err, POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open = 2;
  while (open > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(child.pid, SIGKILL);
      break;
    }
    if (::poll(fds.data(), fds.size(), static_cast<int>(left.count())) <= 0) continue;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else {
        fds[i].fd = -1;
        --open;
      }
    }
  }
  ::close(child.out);
  ::close(child.err);
  int status = 0;
  ::waitpid(child.pid, &status, 0);
  if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

}  // namespace

ProcessResult run_stork(const std::vector<std::string>& args, const std::string& stdin_text,
                        std::chrono::milliseconds deadline, const std::vector<std::string>& env) {
  return collect(spawn(args, stdin_text, env), deadline);
}

RunningStork::RunningStork(const std::vector<std::string>& args) {
  const Spawned child = spawn(args, {}, {});
  pid_ = child.pid;
  out_ = child.out;
  err_ = child.err;
}

RunningStork::~RunningStork() {
  if (pid_ > 0) stop(SIGKILL, std::chrono::seconds(5));
}

ProcessResult RunningStork::stop(int sig, std::chrono::milliseconds deadline) {
  if (pid_ <= 0) return {};
  ::kill(pid_, sig);
  const ProcessResult result = collect({pid_, out_, err_}, deadline);
  pid_ = -1;
  return result;
}

}  // namespace stork::itest
