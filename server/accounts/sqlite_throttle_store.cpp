#include "accounts/sqlite_throttle_store.hpp"

namespace stork {

ThrottleEntry SqliteThrottleStore::lock(const std::string& key) {
  auto q = db_.connection().prepare(
      "SELECT failures, last_failure, blocked_until, in_flight, last_admitted "
      "FROM login_failures WHERE key = ?");
  q->bind(1, key);
  ThrottleEntry e;
  if (q->executeStep()) {
    e.failures = q->getColumn(0).getInt64();
    e.last_failure = q->getColumn(1).getInt64();
    e.blocked_until = q->getColumn(2).getInt64();
    e.in_flight = q->getColumn(3).getInt64();
    e.last_admitted = q->getColumn(4).getInt64();
  }
  return e;
}

void SqliteThrottleStore::save(const std::string& key, const ThrottleEntry& e) {
  auto q = db_.connection().prepare(
      "INSERT INTO login_failures (key, failures, last_failure, blocked_until, in_flight, "
      "last_admitted) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
      "failures = excluded.failures, last_failure = excluded.last_failure, "
      "blocked_until = excluded.blocked_until, in_flight = excluded.in_flight, "
      "last_admitted = excluded.last_admitted");
  q->bind(1, key);
  q->bind(2, e.failures);
  q->bind(3, e.last_failure);
  q->bind(4, e.blocked_until);
  q->bind(5, e.in_flight);
  q->bind(6, e.last_admitted);
  q->exec();
}

void SqliteThrottleStore::remove(const std::string& key) {
  auto q = db_.connection().prepare("DELETE FROM login_failures WHERE key = ?");
  q->bind(1, key);
  q->exec();
}

std::size_t SqliteThrottleStore::purge(UnixSeconds now, UnixSeconds forget_before,
                                       UnixSeconds stale_before) {
  auto q = db_.connection().prepare(
      "DELETE FROM login_failures WHERE blocked_until <= ? AND last_failure < ? "
      "AND (in_flight = 0 OR last_admitted < ?)");
  q->bind(1, now);
  q->bind(2, forget_before);
  q->bind(3, stale_before);
  return static_cast<std::size_t>(q->exec());
}

void SqliteThrottleStore::trust_device(const std::string& token_hash, std::int64_t user_id,
                                       UnixSeconds now) {
  auto q = db_.connection().prepare(
      "INSERT OR REPLACE INTO trusted_devices (token_hash, user_id, issued_at) VALUES (?, ?, ?)");
  q->bind(1, token_hash);
  q->bind(2, user_id);
  q->bind(3, now);
  q->exec();
}

std::optional<std::int64_t> SqliteThrottleStore::trusted_device_user(const std::string& token_hash) {
  auto q = db_.connection().prepare("SELECT user_id FROM trusted_devices WHERE token_hash = ?");
  q->bind(1, token_hash);
  if (!q->executeStep()) return std::nullopt;
  return q->getColumn(0).getInt64();
}

void SqliteThrottleStore::distrust_device(const std::string& token_hash) {
  auto q = db_.connection().prepare("DELETE FROM trusted_devices WHERE token_hash = ?");
  q->bind(1, token_hash);
  q->exec();
}

std::size_t SqliteThrottleStore::purge_devices(UnixSeconds issued_before) {
  auto q = db_.connection().prepare("DELETE FROM trusted_devices WHERE issued_at < ?");
  q->bind(1, issued_before);
  return static_cast<std::size_t>(q->exec());
}

}  // namespace stork
