#pragma once
// Everything `stork serve` can be told, with the contract's defaults.

#include "accounts/password.hpp"
#include "accounts/signup_policy.hpp"
#include "sessions/session_policy.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace stork {

struct HostPort {
  std::string host;
  int port = 0;
};

// "HOST:PORT" or ":PORT" (host 127.0.0.1); nullopt when malformed.
std::optional<HostPort> parse_host_port(const std::string& text);

// The source tree's widget/ and static/, fixed at build time.
std::string default_assets_dir();

struct Config {
  HostPort listen{"127.0.0.1", 8080};
  std::string db_path = "./var/stork.db";  // or sqlite:PATH, or a postgresql:// URI
  // PostgreSQL only: the most connections this process opens. Worker
  // threads borrow one per store call, so far fewer than --workers suffice.
  std::size_t db_pool_connections = 16;
  // PostgreSQL only: how long (milliseconds) this process may serve a
  // session, user or product it read before, should the change feed miss
  // a change (server/cache/caching_backend.hpp). 0: no read cache.
  std::int64_t read_cache_ms = 2000;
  std::string public_origin;  // empty: http://localhost:<port>
  std::optional<HostPort> demo_publisher;
  std::string tls_cert;
  std::string tls_key;
  std::string assets_dir = default_assets_dir();  // holds widget/ and static/
  // Client address comes from the socket; only behind this proxy address is
  // X-Forwarded-For believed.
  std::string trusted_proxy;
  // Serve /metrics on this listener only (not on the widget's).
  std::optional<HostPort> metrics_listen;
  // Serve only the cookie lab (and, on the demo listener, a page framing
  // it): for engineers testing browsers, no accounts or publishers needed.
  bool lab_only = false;

  SessionPolicy sessions;
  SignupRules signup;
  Argon2Params argon2;

  std::size_t worker_threads = 256;
  std::size_t max_body_bytes = 16 * 1024;
  int keep_alive_seconds = 5;
  int read_timeout_seconds = 5;
  int write_timeout_seconds = 5;
  int purge_interval_seconds = 60;

  bool tls() const { return !tls_cert.empty(); }
  std::string effective_public_origin() const {
    if (!public_origin.empty()) return public_origin;
    return std::string(tls() ? "https" : "http") + "://localhost:" + std::to_string(listen.port);
  }
};

}  // namespace stork
