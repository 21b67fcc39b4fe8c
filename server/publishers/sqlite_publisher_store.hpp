#pragma once

#include "publishers/publisher_store.hpp"
#include "storage/database.hpp"

namespace stork {

class SqlitePublisherStore final : public PublisherStore {
 public:
  explicit SqlitePublisherStore(Database& db) : db_(db) {}

  bool add(const std::string& key, const std::optional<std::string>& display_name,
           const std::vector<std::string>& origins, UnixSeconds now) override;
  std::optional<Publisher> find(const std::string& key) override;
  std::vector<Publisher> list() override;
  OriginChange add_origin(const std::string& key, const std::string& origin) override;
  OriginChange remove_origin(const std::string& key, const std::string& origin) override;
  bool remove(const std::string& key) override;
  std::int64_t version() override;

 private:
  bool exists(Connection& conn, const std::string& key);

  Database& db_;
};

}  // namespace stork
