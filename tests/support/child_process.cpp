#include "child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace stork::test {
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

// Reads from whichever of the two pipes has data, for at most timeout_ms
// (-1: until one has); a pipe at its end is closed and set to -1. False
// once both are closed.
bool read_some(std::array<pollfd, 2>& fds, const std::array<std::string*, 2>& sinks, int timeout_ms,
               std::mutex* mutex = nullptr) {
  if (fds[0].fd < 0 && fds[1].fd < 0) return false;
  if (::poll(fds.data(), fds.size(), timeout_ms) <= 0) return true;
  for (std::size_t i = 0; i < fds.size(); ++i) {
    if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char buf[4096];
    const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
    if (n > 0) {
      std::unique_lock<std::mutex> lock;
      if (mutex) lock = std::unique_lock(*mutex);
      sinks[i]->append(buf, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      ::close(fds[i].fd);
      fds[i].fd = -1;
    }
  }
  return fds[0].fd >= 0 || fds[1].fd >= 0;
}

// Reads both outputs to their end and reaps the child; kills it at the deadline.
ProcessResult collect(const Spawned& child, std::chrono::milliseconds deadline) {
  ProcessResult result;
  const auto until = std::chrono::steady_clock::now() + deadline;
  std::array<pollfd, 2> fds{{{child.out, POLLIN, 0}, {child.err, POLLIN, 0}}};
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(child.pid, SIGKILL);
      break;
    }
    if (!read_some(fds, {&result.out, &result.err}, static_cast<int>(left.count()))) break;
  }
  for (const pollfd& f : fds) {
    if (f.fd >= 0) ::close(f.fd);
  }
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

RunningStork::RunningStork(const std::vector<std::string>& args, const std::vector<std::string>& env) {
  const Spawned child = spawn(args, {}, env);
  pid_ = child.pid;
  reader_ = std::thread([this, child] { drain(child.out, child.err); });
}

RunningStork::~RunningStork() { stop(SIGKILL, std::chrono::seconds(5)); }

void RunningStork::drain(int out_fd, int err_fd) {
  // Both pipes reach their end when the child exits; nothing else holds them.
  std::array<pollfd, 2> fds{{{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}}};
  while (read_some(fds, {&out_, &err_}, -1, &mutex_)) {
  }
}

bool RunningStork::running() {
  if (!reaped_ && pid_ > 0 && ::waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
  return pid_ > 0 && !reaped_;
}

std::string RunningStork::out() const {
  const std::lock_guard lock(mutex_);
  return out_;
}

std::string RunningStork::err() const {
  const std::lock_guard lock(mutex_);
  return err_;
}

ProcessResult RunningStork::stop(int sig, std::chrono::milliseconds deadline) {
  ProcessResult result;
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, sig);
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (::waitpid(pid_, &status_, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > until) {
        result.timed_out = true;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status_, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    reaped_ = true;
  }
  if (reader_.joinable()) reader_.join();
  if (pid_ > 0 && !result.timed_out && WIFEXITED(status_)) result.exit_code = WEXITSTATUS(status_);
  result.out = out();
  result.err = err();
  return result;
}

}  // namespace stork::test
