#pragma once
// A Backend whose session, account and catalog reads come from a
// per-process read cache, kept true by the backend's change feed. For a
// store across the network (PostgreSQL) a personalized product read is
// then no round trip instead of three; on an SQLite file it is no B-tree
// descent through the page cache (whose pages any commit empties). A
// backend without a feed (an in-memory SQLite database) is not wrapped.
//
// What a cached read may miss, and for how long: a change committed
// through another process is invisible here until its notification
// arrives (milliseconds; the tests bound it), and never longer than
// max_age (the feed connected but silent). While the feed is down, every
// read goes to the store. Changes made through this process invalidate
// before the call that made them returns.

#include "cache/cached_account_store.hpp"
#include "cache/cached_catalog.hpp"
#include "cache/cached_session_store.hpp"
#include "cache/invalidating_stores.hpp"
#include "cache/read_cache.hpp"
#include "storage/backend.hpp"

#include <memory>

namespace stork {

// The backend itself when options.max_age is zero or it has no change
// feed; otherwise the backend behind a read cache.
std::unique_ptr<Backend> with_read_cache(std::unique_ptr<Backend> backend,
                                         ReadCacheOptions options);

class CachingBackend final : public Backend {
 public:
  // feed: the backend's, telling cache->invalidations().
  CachingBackend(std::unique_ptr<Backend> backend, std::unique_ptr<ReadCache> cache,
                 std::unique_ptr<ChangeFeed> feed);
  ~CachingBackend() override;

  ReadCache& cache() { return *cache_; }

  SessionStore& sessions() override { return sessions_; }
  AccountStore& accounts() override { return accounts_; }
  Catalog& catalog() override { return catalog_; }

  UnitOfWork& unit_of_work() override { return inner_->unit_of_work(); }
  RefreshTokenStore& refresh_tokens() override { return inner_->refresh_tokens(); }
  ThrottleStore& throttle() override { return inner_->throttle(); }
  SignupThrottleStore& signup_throttle() override { return inner_->signup_throttle(); }
  PersonalDataStore& personal_data() override { return personal_data_; }
  ResetLinkStore& reset_links() override { return reset_links_; }
  UserDirectory& users() override { return inner_->users(); }
  ProductStore& products() override { return products_; }
  LabReportStore& lab_reports() override { return inner_->lab_reports(); }
  PublisherStore& publishers() override { return publishers_; }
  SeedStore& seed() override { return seed_; }
  IdentityStore& identity() override { return identity_; }
  std::unique_ptr<ReadScope> read_scope() override {
    return cache_->deferred_scope([this] { return inner_->read_scope(); });
  }
  void translate_errors(const std::function<void()>& fn) override { inner_->translate_errors(fn); }
  bool reachable() override { return inner_->reachable(); }
  int schema_version() override { return inner_->schema_version(); }
  std::string describe() const override { return inner_->describe(); }
  std::string metrics_text() override { return inner_->metrics_text() + cache_->metrics_text(); }

 private:
  std::unique_ptr<Backend> inner_;
  std::unique_ptr<ReadCache> cache_;
  CachedSessionStore sessions_;
  CachedAccountStore accounts_;
  CachedCatalog catalog_;
  InvalidatingPersonalData personal_data_;
  InvalidatingProducts products_;
  InvalidatingPublishers publishers_;
  InvalidatingSeed seed_;
  InvalidatingIdentity identity_;
  InvalidatingResetLinks reset_links_;
  // Last: stopped first, while everything it tells still exists.
  std::unique_ptr<ChangeFeed> feed_;
};

}  // namespace stork
