#pragma once
// The embedded default: every store on one SQLite file.

#include "accounts/sqlite_account_store.hpp"
#include "accounts/sqlite_personal_data_store.hpp"
#include "accounts/sqlite_reset_link_store.hpp"
#include "accounts/sqlite_signup_throttle_store.hpp"
#include "accounts/sqlite_throttle_store.hpp"
#include "accounts/sqlite_user_directory.hpp"
#include "catalog/sqlite_catalog.hpp"
#include "catalog/sqlite_product_store.hpp"
#include "identity/sqlite_identity_store.hpp"
#include "lab/sqlite_lab_report_store.hpp"
#include "publishers/sqlite_publisher_store.hpp"
#include "seed/sqlite_seed_store.hpp"
#include "sessions/sqlite_refresh_token_store.hpp"
#include "sessions/sqlite_session_store.hpp"
#include "storage/backend.hpp"
#include "storage/database.hpp"
#include "storage/sqlite_unit_of_work.hpp"

#include <chrono>
#include <string>

namespace stork {

class SqliteBackend final : public Backend {
 public:
  // Opens (creating if needed) and migrates the file. Throws StoreError.
  explicit SqliteBackend(const std::string& path);

  UnitOfWork& unit_of_work() override { return unit_; }
  SessionStore& sessions() override { return sessions_; }
  RefreshTokenStore& refresh_tokens() override { return refresh_tokens_; }
  AccountStore& accounts() override { return accounts_; }
  ThrottleStore& throttle() override { return throttle_; }
  SignupThrottleStore& signup_throttle() override { return signup_throttle_; }
  PersonalDataStore& personal_data() override { return personal_data_; }
  ResetLinkStore& reset_links() override { return reset_links_; }
  UserDirectory& users() override { return users_; }
  Catalog& catalog() override { return catalog_; }
  ProductStore& products() override { return products_; }
  LabReportStore& lab_reports() override { return lab_reports_; }
  SeedStore& seed() override { return seed_; }
  PublisherStore& publishers() override { return publishers_; }
  IdentityStore& identity() override { return identity_; }

  std::unique_ptr<ReadScope> read_scope() override;
  // A SqliteChangeFeed on this file, polling every interval; nullptr for
  // an in-memory database, which no other connection can change.
  std::unique_ptr<ChangeFeed> follow_changes(ChangeSink& sink) override;
  std::unique_ptr<ChangeFeed> follow_changes(ChangeSink& sink, std::chrono::milliseconds interval);
  void translate_errors(const std::function<void()>& fn) override;
  bool reachable() override;
  int schema_version() override;
  std::string describe() const override { return "SQLite file " + db_.path(); }
  std::string metrics_text() override;

  // For the composition root and the CLI's SQLite-only tools.
  Database& database() { return db_; }

 private:
  Database db_;
  SqliteUnitOfWork unit_;
  SqliteSessionStore sessions_;
  SqliteRefreshTokenStore refresh_tokens_;
  SqliteAccountStore accounts_;
  SqliteThrottleStore throttle_;
  SqliteSignupThrottleStore signup_throttle_;
  SqlitePersonalDataStore personal_data_;
  SqliteResetLinkStore reset_links_;
  SqliteUserDirectory users_;
  SqliteCatalog catalog_;
  SqliteProductStore products_;
  SqliteLabReportStore lab_reports_;
  SqliteSeedStore seed_;
  SqlitePublisherStore publishers_;
  SqliteIdentityStore identity_;
};

}  // namespace stork
