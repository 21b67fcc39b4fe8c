#include "app.hpp"

#include "cache/caching_backend.hpp"
#include "postgresql/pg_database.hpp"
#include "publishers/origin.hpp"
#include "storage/pg_backend.hpp"
#include "storage/sqlite_backend.hpp"

#include <stdexcept>
#include <thread>

namespace stork {
namespace {

std::string checked_public_origin(const Config& cfg) {
  const auto origin = normalize_origin(cfg.effective_public_origin());
  if (!origin) throw std::invalid_argument("--public-origin is not an http(s) origin");
  // Secure cookies need a secure context: https, or http on localhost,
  // which browsers treat as secure.
  const bool local_http = origin->rfind("http://localhost", 0) == 0 ||
                          origin->rfind("http://127.0.0.1", 0) == 0 ||
                          origin->rfind("http://[::1]", 0) == 0;
  if (origin->rfind("https://", 0) != 0 && !local_http) {
    throw std::invalid_argument(
        "--public-origin must be https:// (plain http only works for localhost)");
  }
  return *origin;
}

std::ptrdiff_t hashing_slots() {
  const auto cores = static_cast<std::ptrdiff_t>(std::thread::hardware_concurrency());
  return cores < 2 ? 2 : cores;
}

}  // namespace

std::unique_ptr<Backend> open_backend(const std::string& db, std::size_t pool_connections) {
  if (db.empty()) throw std::invalid_argument("--db is empty");
  if (pg::is_postgresql_url(db)) {
    pg::PoolOptions pool;
    pool.max_connections = pool_connections;
    return std::make_unique<PgBackend>(db, pool);
  }
  const std::string path = db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
  return std::make_unique<SqliteBackend>(path);
}

Services::Services(Backend& b, const Clock& c, const Argon2Params& argon2,
                   const SessionPolicy& session_policy, const SignupRules& signup,
                   VerifierPolicy identity_policy, PublisherOfOrigin publisher_of_origin)
    : backend(b),
      clock(c),
      sessions(b.sessions(), session_policy),
      refresh_tokens(b.refresh_tokens(), sessions),
      throttle(b.throttle(), b.unit_of_work()),
      logins(b.accounts(), throttle, argon2, hashing_slots()),
      sign_ins(b.unit_of_work(), b.accounts(), sessions, refresh_tokens),
      signups(b.accounts(), b.signup_throttle(), logins, signup),
      accounts(b.unit_of_work(), b.accounts(), b.personal_data(), sessions, refresh_tokens, logins),
      password_reset(b.accounts(), b.reset_links(), logins),
      identity(b.identity(), b.accounts(), IdentityThrottle(b.throttle(), b.unit_of_work()),
               std::move(publisher_of_origin), std::move(identity_policy)) {}

App::App(Config cfg, const Clock* injected_clock)
    : config(std::move(cfg)),
      public_origin(checked_public_origin(config)),
      clock(injected_clock ? *injected_clock : system_clock),
      backend(with_read_cache(open_backend(config.db_path, config.db_pool_connections),
                              ReadCacheOptions{std::chrono::milliseconds(config.read_cache_ms)})),
      publishers(backend->publishers()),
      services(*backend, clock, config.argon2, config.sessions, config.signup,
               VerifierPolicy{public_origin},
               [this](const std::string& origin) { return publishers.key_for_origin(origin); }),
      sessions(services.sessions),
      session_store(backend->sessions()),
      accounts(backend->accounts()),
      catalog(backend->catalog()),
      logins(services.logins),
      lab_reports(backend->lab_reports()),
      widget_files(config.assets_dir + "/widget"),
      site_files(config.assets_dir + "/static") {}

}  // namespace stork
