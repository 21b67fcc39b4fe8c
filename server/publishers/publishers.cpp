#include "publishers/publishers.hpp"

namespace stork {

PublisherDirectory::PublisherDirectory(Database& db) : db_(db) { reload(); }

void PublisherDirectory::add(const std::string& key, const std::vector<std::string>& origins,
                             UnixSeconds now) {
  Connection& conn = db_.connection();
  write_transaction(conn, [&] {
    {
      auto q = conn.prepare(
          "INSERT INTO publishers (key, created_at) VALUES (?, ?) ON CONFLICT(key) DO NOTHING");
      q->bind(1, key);
      q->bind(2, now);
      q->exec();
    }
    for (const std::string& origin : origins) {
      auto q = conn.prepare(
          "INSERT INTO publisher_origins (publisher_id, origin) "
          "SELECT id, ? FROM publishers WHERE key = ? ON CONFLICT DO NOTHING");
      q->bind(1, origin);
      q->bind(2, key);
      q->exec();
    }
  });
  reload();
}

void PublisherDirectory::reload() {
  auto fresh = std::make_shared<Snapshot>();
  auto q = db_.connection().prepare(
      "SELECT p.key, o.origin FROM publishers p "
      "LEFT JOIN publisher_origins o ON o.publisher_id = p.id ORDER BY p.key, o.origin");
  while (q->executeStep()) {
    const std::string key = q->getColumn(0).getString();
    Publisher& p = fresh->by_key[key];
    p.key = key;
    if (!q->getColumn(1).isNull()) {
      const std::string origin = q->getColumn(1).getString();
      p.origins.push_back(origin);
      fresh->key_by_origin.emplace(origin, key);
    }
  }
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(fresh);
}

std::shared_ptr<const PublisherDirectory::Snapshot> PublisherDirectory::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

std::optional<Publisher> PublisherDirectory::find(const std::string& key) const {
  const auto snap = snapshot();
  const auto found = snap->by_key.find(key);
  if (found == snap->by_key.end()) return std::nullopt;
  return found->second;
}

std::optional<std::string> PublisherDirectory::key_for_origin(const std::string& origin) const {
  const auto snap = snapshot();
  const auto found = snap->key_by_origin.find(origin);
  if (found == snap->key_by_origin.end()) return std::nullopt;
  return found->second;
}

std::string frame_ancestors(const std::optional<Publisher>& publisher) {
  if (!publisher || publisher->origins.empty()) return "frame-ancestors 'none'";
  std::string out = "frame-ancestors";
  for (const std::string& origin : publisher->origins) out.append(" ").append(origin);
  return out;
}

std::string publisher_key_violation(std::string_view key) {
  if (key.empty() || key.size() > 64) return "A publisher key has 1 to 64 characters.";
  for (const char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return "Use only a-z, 0-9 and '-' in a publisher key.";
    }
  }
  return {};
}

}  // namespace stork
