#include "app.hpp"

#include "publishers/origin.hpp"

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

App::App(Config cfg)
    : config(std::move(cfg)),
      public_origin(checked_public_origin(config)),
      db(config.db_path),
      session_store(db),
      sessions(session_store, config.sessions),
      refresh_store(db),
      refresh_tokens(refresh_store, sessions),
      accounts(db),
      throttle(db),
      logins(accounts, throttle, config.argon2, hashing_slots()),
      signup_throttle(db),
      signups(accounts, signup_throttle, logins, config.signup),
      personal_data(db),
      account_service(personal_data, session_store, sessions.policy(), logins, throttle),
      reset_links(db),
      password_reset(accounts, reset_links, logins),
      catalog(db),
      publishers(db),
      lab_report_store(db),
      lab_reports(lab_report_store),
      widget_files(config.assets_dir + "/widget"),
      site_files(config.assets_dir + "/static") {}

}  // namespace stork
