#pragma once
// Stores the read cache keeps nothing of, whose writes change what it
// keeps: a removed account takes its ratings out of every product's
// aggregate, an import or removal changes products, a removed publisher
// takes the accounts it asserted with it, a seed rewrites everything.
// They are rare (an operator's command, a visitor leaving), so each one
// forgets everything after it returns, which this process's next read
// must see; the change feed tells the other processes.

#include "accounts/personal_data_store.hpp"
#include "cache/invalidations.hpp"
#include "catalog/product_store.hpp"
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

}  // namespace stork
