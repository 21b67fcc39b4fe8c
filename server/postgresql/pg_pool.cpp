#include "postgresql/pg_pool.hpp"

#include <stdexcept>

namespace stork::pg {

Pool::Pool(std::string conninfo, PoolOptions options)
    : conninfo_(std::move(conninfo)), options_(options) {
  if (options_.max_connections == 0) throw std::invalid_argument("a pool needs at least one connection");
}

Pool::~Pool() = default;

std::size_t Pool::open_connections() {
  std::lock_guard lock(mutex_);
  return open_;
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mutex_);
  const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  for (;;) {
    while (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      // Checked outside the lock: it reads the socket.
      lock.unlock();
      const bool alive = conn->check_alive();
      if (alive) return Lease(*this, std::move(conn));
      conn.reset();  // a dead one: closed, its slot freed below
      lock.lock();
      --open_;
    }
    if (open_ < options_.max_connections) {
      ++open_;
      lock.unlock();
      try {
        return Lease(*this, std::make_unique<Connection>(conninfo_));
      } catch (...) {
        lock.lock();
        --open_;
        freed_.notify_one();
        throw;
      }
    }
    if (freed_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.max_connections) {
      throw Failure("every PostgreSQL connection of this process is busy", "53300", false);
    }
  }
}

void Pool::give_back(std::unique_ptr<Connection> conn) {
  // A connection left inside a transaction or broken is not lent again.
  const bool reusable = conn->ok() && conn->idle();
  if (!reusable) conn.reset();
  std::lock_guard lock(mutex_);
  if (reusable) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  freed_.notify_one();
}

}  // namespace stork::pg
