#pragma once
// A bounded set of connections shared by every thread of one process.
//
// Why bounded: `stork serve` runs up to 256 worker threads, one per open
// keep-alive connection, and a PostgreSQL backend costs a process and
// several MiB on the server; most of those threads are idle in a socket
// read. A handful of connections, each lent for one store call, keeps the
// server's process count fixed however many visitors are connected.
//
// Why it heals: a connection that died (the server restarted, a network
// blip) is noticed when it is lent again or when a call fails on it, then
// dropped; the next borrower opens a fresh one. Nothing has to restart
// Stork after PostgreSQL comes back.

#include "postgresql/pg_connection.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace stork::pg {

struct PoolOptions {
  std::size_t max_connections = 16;
  // How long a call waits for a free connection before it is answered
  // "busy" (HTTP 503) instead of queueing without end.
  std::chrono::milliseconds acquire_timeout{5000};
};

class Pool {
 public:
  Pool(std::string conninfo, PoolOptions options);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  class Lease {
   public:
    Lease(Pool& pool, std::unique_ptr<Connection> conn) : pool_(&pool), conn_(std::move(conn)) {}
    ~Lease() {
      if (conn_) pool_->give_back(std::move(conn_));
    }
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Connection& operator*() { return *conn_; }
    Connection* operator->() { return conn_.get(); }

   private:
    Pool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  // A live connection, opened if needed. Throws Failure (connection_lost)
  // when none can be opened, and Failure with SQLSTATE 53300
  // (too_many_connections) when all are lent for longer than acquire_timeout.
  Lease acquire();

  const std::string& conninfo() const { return conninfo_; }
  std::size_t max_connections() const { return options_.max_connections; }
  // Connections currently open (lent or idle).
  std::size_t open_connections();

 private:
  void give_back(std::unique_ptr<Connection> conn);

  const std::string conninfo_;
  const PoolOptions options_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // lent + idle + being opened
};

}  // namespace stork::pg
