#include "stork_server.hpp"

#include "test_support.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

namespace stork::test {

StorkServer::StorkServer(std::string db, std::vector<std::string> extra_args)
    : db_(std::move(db)), extra_args_(std::move(extra_args)), port_(free_port()) {
  // free_port() only says the port was free a moment ago: when another
  // process took it first, take another one.
  for (int attempt = 1; !launch(); ++attempt) {
    if (attempt == 5) throw std::runtime_error("stork serve found no free port:\n" + process_->err());
    port_ = free_port();
  }
}

httplib::Client StorkServer::client() const {
  httplib::Client c("127.0.0.1", port_);
  c.set_read_timeout(10, 0);
  c.set_connection_timeout(2, 0);
  return c;
}

int StorkServer::health() const {
  httplib::Client c("127.0.0.1", port_);
  c.set_connection_timeout(0, 300'000);
  c.set_read_timeout(3, 0);
  const auto res = c.Get("/healthz");
  return res ? res->status : 0;
}

void StorkServer::start() {
  if (!launch()) throw std::runtime_error("stork serve cannot listen again:\n" + process_->err());
}

bool StorkServer::launch() {
  if (process_) stop(SIGKILL);
  std::vector<std::string> args = {"serve", "--listen", "127.0.0.1:" + std::to_string(port_), "--db", db_,
                                   "--public-origin", kServedOrigin};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  process_ = std::make_unique<RunningStork>(args);
  // Seconds on two busy cores: migrations, or a PostgreSQL still recovering.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (health() != 200) {
    if (!process_->running()) {
      if (process_->err().find("cannot listen") != std::string::npos) return false;
      throw std::runtime_error("stork serve exited before it was healthy:\n" + process_->err());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("stork serve was not healthy within 30 s:\n" + process_->err());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

ProcessResult StorkServer::stop(int sig) {
  if (!process_) return {};
  ProcessResult result = process_->stop(sig);
  past_runs_ += result.out + result.err;
  process_.reset();
  return result;
}

std::string StorkServer::log() const {
  if (!process_) return past_runs_;
  return past_runs_ + process_->out() + process_->err();
}

}  // namespace stork::test
