#pragma once
// Registered publishers and the origins they embed the widget from. Read
// on every widget load and CORS request, changed rarely (by the CLI), so
// requests read an in-memory snapshot that is reloaded periodically.

#include "clock.hpp"
#include "storage/database.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace stork {

struct Publisher {
  std::string key;
  std::vector<std::string> origins;
};

class PublisherDirectory {
 public:
  explicit PublisherDirectory(Database& db);

  // Adds the publisher if new and the origins it lacks. Origins must
  // already be normalized.
  void add(const std::string& key, const std::vector<std::string>& origins, UnixSeconds now);

  // Re-reads the tables (e.g. after another process added a publisher).
  void reload();

  std::optional<Publisher> find(const std::string& key) const;
  bool contains(const std::string& key) const { return snapshot()->by_key.contains(key); }
  // Key of the publisher that registered this origin, if any.
  std::optional<std::string> key_for_origin(const std::string& origin) const;
  bool is_registered_origin(const std::string& origin) const {
    return key_for_origin(origin).has_value();
  }

 private:
  struct Snapshot {
    std::map<std::string, Publisher, std::less<>> by_key;
    std::map<std::string, std::string, std::less<>> key_by_origin;
  };
  std::shared_ptr<const Snapshot> snapshot() const;

  Database& db_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
};

// `frame-ancestors` source list for a publisher; `'none'` without one.
std::string frame_ancestors(const std::optional<Publisher>& publisher);

// Why a publisher key is refused, or empty: 1..64 of [a-z0-9-].
std::string publisher_key_violation(std::string_view key);

}  // namespace stork
