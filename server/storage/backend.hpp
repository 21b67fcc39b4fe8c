#pragma once
// Every store of one database, and its unit of work. The composition root
// (server/app.*) opens one from the `--db` value and hands the stores to
// the services; nothing below it knows which backend it got.

#include "accounts/account_store.hpp"
#include "accounts/personal_data_store.hpp"
#include "accounts/reset_link_store.hpp"
#include "accounts/signup_throttle_store.hpp"
#include "accounts/throttle_store.hpp"
#include "accounts/user_directory.hpp"
#include "catalog/catalog.hpp"
#include "catalog/product_store.hpp"
#include "identity/identity_store.hpp"
#include "lab/lab_report_store.hpp"
#include "publishers/publisher_store.hpp"
#include "seed/seed_store.hpp"
#include "sessions/refresh_token_store.hpp"
#include "sessions/session_store.hpp"
#include "storage/change_sink.hpp"
#include "storage/errors.hpp"
#include "storage/unit_of_work.hpp"

#include <functional>
#include <memory>
#include <string>

namespace stork {

// Keeps the reads of one request on one snapshot while it lives (SQLite:
// one read transaction). Writes end it first.
class ReadScope {
 public:
  virtual ~ReadScope() = default;
};

class Backend {
 public:
  virtual ~Backend() = default;

  virtual UnitOfWork& unit_of_work() = 0;
  virtual SessionStore& sessions() = 0;
  virtual RefreshTokenStore& refresh_tokens() = 0;
  virtual AccountStore& accounts() = 0;
  virtual ThrottleStore& throttle() = 0;
  virtual SignupThrottleStore& signup_throttle() = 0;
  virtual PersonalDataStore& personal_data() = 0;
  virtual ResetLinkStore& reset_links() = 0;
  virtual UserDirectory& users() = 0;
  virtual Catalog& catalog() = 0;
  virtual ProductStore& products() = 0;
  virtual LabReportStore& lab_reports() = 0;
  virtual PublisherStore& publishers() = 0;
  virtual SeedStore& seed() = 0;
  virtual IdentityStore& identity() = 0;

  // May be null: a backend whose every store call is consistent on its own.
  virtual std::unique_ptr<ReadScope> read_scope() = 0;

  // Starts telling sink of every change committed to the rows a read
  // cache keeps (server/cache/), by any process. nullptr: this backend has
  // no such feed, so nothing may be cached above it.
  virtual std::unique_ptr<ChangeFeed> follow_changes(ChangeSink& sink) {
    (void)sink;
    return nullptr;
  }

  // Runs fn, turning this backend's library errors that escape a store
  // into StoreBusy / StoreError: the storage edge for callers (HTTP
  // handlers, CLI commands) that must never see a library's types.
  virtual void translate_errors(const std::function<void()>& fn) = 0;

  // One round trip: false while the store is unreachable (/healthz).
  virtual bool reachable() = 0;
  virtual int schema_version() = 0;
  // For messages: "SQLite file var/stork.db", never a password.
  virtual std::string describe() const = 0;
  // Backend-specific lines for /metrics (Prometheus text), may be empty.
  virtual std::string metrics_text() = 0;
};

}  // namespace stork
