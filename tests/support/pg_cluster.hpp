#pragma once
// A real PostgreSQL for C++ tests: a throwaway cluster (tests/support/pg-cluster)
// in a temporary directory, reached over a socket in that directory.
// Starting one costs seconds, so a test binary shares one
// (shared_pg_cluster()) and gives each test a fresh database or an emptied
// one. The cluster is removed when the binary exits, and also when it dies
// by a signal: a watcher process notices and removes it.

#include "postgresql/pg_connection.hpp"
#include "test_support.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#ifndef STORK_PG_CLUSTER
#error "STORK_PG_CLUSTER must name tests/support/pg-cluster"
#endif

namespace stork::test {

// Runs `pg-cluster ARGS...`; returns its standard output without the newline.
inline std::string pg_cluster_command(const std::string& args) {
  const std::string cmd = std::string("'") + STORK_PG_CLUSTER + "' " + args;
  FILE* out = ::popen(cmd.c_str(), "r");
  if (!out) throw std::runtime_error("cannot run " + cmd);
  std::string text;
  char buf[512];
  while (const std::size_t n = std::fread(buf, 1, sizeof buf, out)) text.append(buf, n);
  const int status = ::pclose(out);
  if (status != 0) throw std::runtime_error("failed: " + cmd);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

class PgCluster {
 public:
  PgCluster() {
    char pattern[] = "/tmp/stork-pg-XXXXXX";
    if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    start_watcher();
    admin_url_ = pg_cluster_command("start '" + dir_ + "'");
  }
  ~PgCluster() {
    try {
      pg_cluster_command("destroy '" + dir_ + "'");
    } catch (...) {
    }
    ::close(watch_fd_);
    ::waitpid(watcher_, nullptr, 0);
  }
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  const std::string& dir() const { return dir_; }
  // The URL of database `name` on this cluster.
  std::string url(const std::string& name = "postgres") const {
    return "postgresql://stork@/" + name + "?host=" + dir_;
  }

  // A new, empty database; returns its URL.
  std::string create_database() {
    static std::atomic<int> next{1};
    const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(next++);
    pg::Connection(admin_url_).exec("CREATE DATABASE " + name);
    return url(name);
  }

  // pg_ctl stop: "fast" ends connections cleanly, "immediate" is a crash.
  void stop(const std::string& mode = "fast") { pg_cluster_command("stop '" + dir_ + "' " + mode); }
  void restart() { pg_cluster_command("restart '" + dir_ + "'"); }

 private:
  // A child that waits for this process to end (the pipe's write end
  // closes however it ends) and then removes the cluster.
  void start_watcher() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    watcher_ = ::fork();
    if (watcher_ == 0) {
      ::close(fds[1]);
      char c;
      while (::read(fds[0], &c, 1) > 0) {
      }
      const std::string script = STORK_PG_CLUSTER;
      ::execl(script.c_str(), script.c_str(), "destroy", dir_.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[0]);
    watch_fd_ = fds[1];
  }

  std::string dir_;
  std::string admin_url_;
  pid_t watcher_ = -1;
  int watch_fd_ = -1;
};

// The cluster of this test binary, started on first use.
inline PgCluster& shared_pg_cluster() {
  static PgCluster cluster;
  return cluster;
}

// Removes every row of every Stork table (identities restart at 1), for
// tests that want an empty store without paying for a new database.
inline void empty_database(const std::string& url) {
  pg::Connection c(url);
  const pg::Result r = c.exec(
      "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables "
      "WHERE schemaname = 'public' AND tablename <> 'stork_schema_migrations'");
  if (!r.is_null(0, 0)) c.exec("TRUNCATE " + r.string(0, 0) + " RESTART IDENTITY CASCADE");
  // The one row a migration put in (the publisher change counter) is
  // schema, not data: a fresh database has it.
  if (c.exec("SELECT to_regclass('publisher_changes') IS NOT NULL").boolean(0, 0)) {
    c.exec("INSERT INTO publisher_changes (id, version) VALUES (1, 0) ON CONFLICT DO NOTHING");
  }
}

}  // namespace stork::test
