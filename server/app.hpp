#pragma once
// Everything a request handler may use, wired together once at start.

#include "accounts/account_service.hpp"
#include "accounts/accounts.hpp"
#include "accounts/login_service.hpp"
#include "accounts/login_throttle.hpp"
#include "accounts/password_reset.hpp"
#include "accounts/signup_service.hpp"
#include "accounts/sqlite_personal_data_store.hpp"
#include "accounts/sqlite_reset_link_store.hpp"
#include "accounts/sqlite_signup_throttle_store.hpp"
#include "catalog/sqlite_catalog.hpp"
#include "config.hpp"
#include "http/static_files.hpp"
#include "metrics/metrics.hpp"
#include "publishers/publishers.hpp"
#include "lab/lab_reports.hpp"
#include "lab/sqlite_lab_report_store.hpp"
#include "sessions/refresh_tokens.hpp"
#include "sessions/session_service.hpp"
#include "sessions/sqlite_refresh_token_store.hpp"
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
  SqliteRefreshTokenStore refresh_store;
  RefreshTokens refresh_tokens;
  Accounts accounts;
  LoginThrottle throttle;
  LoginService logins;
  SqliteSignupThrottleStore signup_throttle;
  SignupService signups;
  SqlitePersonalDataStore personal_data;
  AccountService account_service;
  SqliteResetLinkStore reset_links;
  PasswordReset password_reset;
  SqliteCatalog catalog;
  PublisherDirectory publishers;
  SqliteLabReportStore lab_report_store;
  LabReports lab_reports;
  Metrics metrics;
  StaticFiles widget_files;
  StaticFiles site_files;
};

}  // namespace stork
