#pragma once
// Stores the read cache keeps nothing of, whose writes change what it
// keeps: a removed account takes its ratings out of every product's
// aggregate, an import or removal changes products, a removed publisher
// takes the accounts it asserted with it, a seed rewrites everything, a
// publisher's sign-in refreshes the account's names. Each one invalidates
// what it changed after it returns (most forget everything: they are an
// operator's command or a visitor leaving), so this process's next read
// sees it; the change feed tells the other processes.

#include "accounts/personal_data_store.hpp"
#include "accounts/reset_link_store.hpp"
#include "cache/invalidations.hpp"
#include "catalog/product_store.hpp"
#include "identity/identity_store.hpp"
#include "publishers/publisher_store.hpp"
#include "seed/seed_store.hpp"

namespace stork {

class InvalidatingPersonalData final : public PersonalDataStore {
 public:
  InvalidatingPersonalData(PersonalDataStore& store, Invalidations& changes)
      : store_(store), changes_(changes) {}
  std::optional<PersonalData> collect(std::int64_t user_id) override { return store_.collect(user_id); }
  bool erase(std::int64_t user_id) override {
    const bool erased = store_.erase(user_id);
    changes_.everything_changed();
    return erased;
  }

 private:
  PersonalDataStore& store_;
  Invalidations& changes_;
};

class InvalidatingProducts final : public ProductStore {
 public:
  InvalidatingProducts(ProductStore& store, Invalidations& changes) : store_(store), changes_(changes) {}
  UpsertSummary compare(const std::vector<ProductRow>& rows) override { return store_.compare(rows); }
  UpsertSummary upsert_all(const std::vector<ProductRow>& rows, const WriteProgress& progress) override {
    const UpsertSummary summary = store_.upsert_all(rows, progress);
    changes_.everything_changed();
    return summary;
  }
  std::optional<ProductRow> find(std::int64_t id) override { return store_.find(id); }
  void for_each(const std::function<void(const ProductRow&)>& fn) override { store_.for_each(fn); }
  bool remove(std::int64_t id) override {
    const bool removed = store_.remove(id);
    changes_.everything_changed();
    return removed;
  }

 private:
  ProductStore& store_;
  Invalidations& changes_;
};

class InvalidatingPublishers final : public PublisherStore {
 public:
  InvalidatingPublishers(PublisherStore& store, Invalidations& changes)
      : store_(store), changes_(changes) {}
  bool add(const std::string& key, const std::optional<std::string>& display_name,
           const std::vector<std::string>& origins, UnixSeconds now) override {
    return store_.add(key, display_name, origins, now);
  }
  std::optional<Publisher> find(const std::string& key) override { return store_.find(key); }
  std::vector<Publisher> list() override { return store_.list(); }
  OriginChange add_origin(const std::string& key, const std::string& origin) override {
    return store_.add_origin(key, origin);
  }
  OriginChange remove_origin(const std::string& key, const std::string& origin) override {
    return store_.remove_origin(key, origin);
  }
  bool remove(const std::string& key) override {
    const bool removed = store_.remove(key);
    changes_.everything_changed();
    return removed;
  }
  std::int64_t version() override { return store_.version(); }

 private:
  PublisherStore& store_;
  Invalidations& changes_;
};

class InvalidatingSeed final : public SeedStore {
 public:
  InvalidatingSeed(SeedStore& store, Invalidations& changes) : store_(store), changes_(changes) {}
  void load(const SeedData& data, const LoadProgress& progress) override {
    store_.load(data, progress);
    changes_.everything_changed();
  }

 private:
  SeedStore& store_;
  Invalidations& changes_;
};

class InvalidatingResetLinks final : public ResetLinkStore {
 public:
  InvalidatingResetLinks(ResetLinkStore& store, Invalidations& changes) : store_(store), changes_(changes) {}
  void put(std::int64_t user_id, const std::string& token_hash, UnixSeconds created_at,
           UnixSeconds expires_at) override {
    store_.put(user_id, token_hash, created_at, expires_at);
  }
  std::optional<std::int64_t> user_of(const std::string& token_hash, UnixSeconds now) override {
    return store_.user_of(token_hash, now);
  }
  // A new password, and every session of the user ended.
  std::optional<std::int64_t> redeem(const std::string& token_hash, const std::string& new_password_hash,
                                     UnixSeconds now) override {
    const auto user_id = store_.redeem(token_hash, new_password_hash, now);
    if (user_id) changes_.user_changed(*user_id);
    return user_id;
  }
  std::size_t purge(UnixSeconds now) override { return store_.purge(now); }

 private:
  ResetLinkStore& store_;
  Invalidations& changes_;
};

class InvalidatingIdentity final : public IdentityStore {
 public:
  InvalidatingIdentity(IdentityStore& store, Invalidations& changes) : store_(store), changes_(changes) {}
  KeyAdded add_key(const PublisherKey& key) override { return store_.add_key(key); }
  std::optional<PublisherKey> find_key(std::string_view kid) override { return store_.find_key(kid); }
  std::vector<PublisherKey> list_keys(std::string_view publisher) override { return store_.list_keys(publisher); }
  bool remove_key(std::string_view kid) override { return store_.remove_key(kid); }
  bool claim_jti(std::string_view publisher, std::string_view jti, UnixSeconds expires_at) override {
    return store_.claim_jti(publisher, jti, expires_at);
  }
  std::size_t purge_jtis(UnixSeconds now) override { return store_.purge_jtis(now); }
  std::optional<std::int64_t> account_for(const AssertedReader& reader, UnixSeconds now) override {
    const auto user_id = store_.account_for(reader, now);
    if (user_id) changes_.user_changed(*user_id);
    return user_id;
  }
  std::optional<std::string> asserted_by(std::int64_t user_id) override { return store_.asserted_by(user_id); }

 private:
  IdentityStore& store_;
  Invalidations& changes_;
};

}  // namespace stork
