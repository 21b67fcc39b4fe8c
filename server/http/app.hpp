#pragma once
// Everything a request handler may use, wired together once at start.

#include "accounts/accounts.hpp"
#include "accounts/login_service.hpp"
#include "accounts/login_throttle.hpp"
#include "catalog/sqlite_catalog.hpp"
#include "config.hpp"
#include "http/static_files.hpp"
#include "metrics/metrics.hpp"
#include "publishers/publishers.hpp"
#include "sessions/session_service.hpp"
#include "sessions/sqlite_session_store.hpp"
#include "storage/database.hpp"

namespace stork {

struct App {
  explicit App(Config cfg);

  Config config;
  std::string public_origin;  // normalized
  Database db;
  SqliteSessionStore session_store;
  SessionService sessions;
  Accounts accounts;
  LoginThrottle throttle;
  LoginService logins;
  SqliteCatalog catalog;
  PublisherDirectory publishers;
  Metrics metrics;
  StaticFiles widget_files;
  StaticFiles site_files;
};

}  // namespace stork
