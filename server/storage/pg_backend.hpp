#pragma once
// The shared store: every store on one PostgreSQL database, for several
// Stork processes at once. Nothing is cached per process except what says
// so itself (the publisher directory follows a change counter; a read
// cache follows follow_changes()).

#include "postgresql/pg_account_store.hpp"
#include "postgresql/pg_catalog.hpp"
#include "postgresql/pg_database.hpp"
#include "postgresql/pg_identity_store.hpp"
#include "postgresql/pg_lab_report_store.hpp"
#include "postgresql/pg_personal_data_store.hpp"
#include "postgresql/pg_product_store.hpp"
#include "postgresql/pg_publisher_store.hpp"
#include "postgresql/pg_refresh_token_store.hpp"
#include "postgresql/pg_reset_link_store.hpp"
#include "postgresql/pg_seed_store.hpp"
#include "postgresql/pg_session_store.hpp"
#include "postgresql/pg_signup_throttle_store.hpp"
#include "postgresql/pg_throttle_store.hpp"
#include "postgresql/pg_unit_of_work.hpp"
#include "postgresql/pg_user_directory.hpp"
#include "storage/backend.hpp"

#include <string>

namespace stork {

class PgBackend final : public Backend {
 public:
  // Connects and migrates (under an advisory lock). Throws StoreBusy when
  // the server cannot be reached, StoreError otherwise.
  PgBackend(const std::string& url, pg::PoolOptions pool);

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

  // Each store call takes its own snapshot (READ COMMITTED): a request's
  // reads are a session lookup and one product, which need no common one.
  // One lent connection for the reads of a request (ConnectionScope); each
  // statement still sees the latest commit (READ COMMITTED).
  std::unique_ptr<ReadScope> read_scope() override;
  // A pg::ChangeListener on its own connection to the same database.
  std::unique_ptr<ChangeFeed> follow_changes(ChangeSink& sink) override;
  void translate_errors(const std::function<void()>& fn) override;
  bool reachable() override { return db_.reachable(); }
  int schema_version() override { return db_.schema_version(); }
  std::string describe() const override { return description_; }
  std::string metrics_text() override;

 private:
  std::string description_;
  pg::Database db_;
  PgUnitOfWork unit_;
  PgSessionStore sessions_;
  PgRefreshTokenStore refresh_tokens_;
  PgAccountStore accounts_;
  PgThrottleStore throttle_;
  PgSignupThrottleStore signup_throttle_;
  PgPersonalDataStore personal_data_;
  PgResetLinkStore reset_links_;
  PgUserDirectory users_;
  PgCatalog catalog_;
  PgProductStore products_;
  PgLabReportStore lab_reports_;
  PgSeedStore seed_;
  PgPublisherStore publishers_;
  PgIdentityStore identity_;
};

}  // namespace stork
