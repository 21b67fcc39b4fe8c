#pragma once
// The composition root: one backend's stores (chosen by the --db value),
// the clock, and the services built over them, wired once at start.
// Everything a request handler or CLI command may use is here; nothing
// below this file knows which backend it got.

#include "accounts/account_service.hpp"
#include "accounts/login_service.hpp"
#include "accounts/login_throttle.hpp"
#include "accounts/password_reset.hpp"
#include "accounts/sign_in_service.hpp"
#include "accounts/signup_service.hpp"
#include "clock.hpp"
#include "config.hpp"
#include "http/static_files.hpp"
#include "identity/identity_service.hpp"
#include "lab/lab_reports.hpp"
#include "metrics/metrics.hpp"
#include "publishers/publishers.hpp"
#include "sessions/refresh_tokens.hpp"
#include "sessions/session_service.hpp"
#include "storage/backend.hpp"

#include <memory>
#include <string>

namespace stork {

// `PATH`, `sqlite:PATH` or a libpq `postgresql://` URI. Throws StoreError
// when it cannot be opened, std::invalid_argument when malformed.
// pool_connections bounds PostgreSQL's connection pool.
std::unique_ptr<Backend> open_backend(const std::string& db, std::size_t pool_connections = 16);

// The services over one backend, without the HTTP side: what the CLI uses.
// identity_policy and publisher_of_origin serve identity sign-ins, which
// only the server verifies (the CLI leaves them empty: every token is then
// refused).
struct Services {
  Services(Backend& backend, const Clock& clock, const Argon2Params& argon2,
           const SessionPolicy& sessions, const SignupRules& signup,
           VerifierPolicy identity_policy = {}, PublisherOfOrigin publisher_of_origin = {});

  Backend& backend;
  const Clock& clock;
  SessionService sessions;
  RefreshTokens refresh_tokens;
  LoginThrottle throttle;
  LoginService logins;
  SignInService sign_ins;
  SignupService signups;
  AccountService accounts;
  PasswordReset password_reset;
  IdentityService identity;
};

struct App {
  // clock: nullptr for the system clock.
  explicit App(Config cfg, const Clock* clock = nullptr);

  Config config;
  std::string public_origin;  // normalized
  SystemClock system_clock;
  const Clock& clock;
  std::unique_ptr<Backend> backend;
  PublisherDirectory publishers;
  Services services;
  // Shorthands for what handlers reach most.
  SessionService& sessions;
  SessionStore& session_store;
  AccountStore& accounts;
  Catalog& catalog;
  LoginService& logins;
  LabReports lab_reports;
  Metrics metrics;
  StaticFiles widget_files;
  StaticFiles site_files;
};

}  // namespace stork
