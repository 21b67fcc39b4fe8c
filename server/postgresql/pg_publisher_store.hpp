#pragma once
// Publishers and their origins in PostgreSQL, shared by every Stork
// process on the database. Each process caches them in a
// PublisherDirectory, which follows version() (the publisher_changes row
// that triggers bump in the writing transaction, so a new version is
// visible exactly when the change it counts is).

#include "postgresql/pg_database.hpp"
#include "publishers/publisher_store.hpp"

namespace stork {

class PgPublisherStore final : public PublisherStore {
 public:
  explicit PgPublisherStore(pg::Database& db) : db_(db) {}

  bool add(const std::string& key, const std::optional<std::string>& display_name,
           const std::vector<std::string>& origins, UnixSeconds now) override;
  std::optional<Publisher> find(const std::string& key) override;
  std::vector<Publisher> list() override;
  OriginChange add_origin(const std::string& key, const std::string& origin) override;
  OriginChange remove_origin(const std::string& key, const std::string& origin) override;
  bool remove(const std::string& key) override;
  std::int64_t version() override;

 private:
  pg::Database& db_;
};

}  // namespace stork
