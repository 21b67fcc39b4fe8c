#include "accounts/login_throttle.hpp"

#include <algorithm>

namespace stork {
namespace {

std::string account_key(const std::string& username) { return "user:" + username; }
std::string address_key(const std::string& address) { return "ip:" + address; }

}  // namespace

LoginThrottle::Entry LoginThrottle::load(const std::string& key) {
  auto q = db_.connection().prepare(
      "SELECT failures, last_failure, blocked_until FROM login_failures WHERE key = ?");
  q->bind(1, key);
  Entry e;
  if (q->executeStep()) {
    e.failures = q->getColumn(0).getInt64();
    e.last_failure = q->getColumn(1).getInt64();
    e.blocked_until = q->getColumn(2).getInt64();
  }
  return e;
}

void LoginThrottle::save(const std::string& key, const Entry& e) {
  auto q = db_.connection().prepare(
      "INSERT INTO login_failures (key, failures, last_failure, blocked_until) VALUES (?, ?, ?, ?) "
      "ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, "
      "last_failure = excluded.last_failure, blocked_until = excluded.blocked_until");
  q->bind(1, key);
  q->bind(2, e.failures);
  q->bind(3, e.last_failure);
  q->bind(4, e.blocked_until);
  q->exec();
}

std::int64_t LoginThrottle::wait_seconds(const std::string& username, const std::string& address,
                                         UnixSeconds now) {
  const Entry account = load(account_key(username));
  const Entry ip = load(address_key(address));
  const UnixSeconds until = std::max(account.blocked_until, ip.blocked_until);
  return until > now ? until - now : 0;
}

void LoginThrottle::record_failure(const std::string& username, const std::string& address,
                                   UnixSeconds now) {
  write_transaction(db_.connection(), [&] {
    Entry account = load(account_key(username));
    if (now - account.last_failure > rules_.account_memory_seconds) account.failures = 0;
    account.failures += 1;
    account.last_failure = now;
    const std::int64_t shift = std::min<std::int64_t>(account.failures - 1, 20);
    const std::int64_t delay = std::min<std::int64_t>(std::int64_t{1} << shift,
                                                      rules_.account_max_delay_seconds);
    account.blocked_until = now + delay;
    save(account_key(username), account);

    Entry ip = load(address_key(address));
    if (now - ip.last_failure > rules_.account_memory_seconds) ip.failures = 0;
    ip.failures += 1;
    ip.last_failure = now;
    if (ip.failures >= rules_.address_failures_to_block) {
      ip.blocked_until = now + rules_.address_block_seconds;
      ip.failures = 0;
    }
    save(address_key(address), ip);
  });
}

void LoginThrottle::record_success(const std::string& username) {
  auto q = db_.connection().prepare("DELETE FROM login_failures WHERE key = ?");
  q->bind(1, account_key(username));
  q->exec();
}

std::size_t LoginThrottle::purge(UnixSeconds now) {
  auto q = db_.connection().prepare(
      "DELETE FROM login_failures WHERE blocked_until <= ? AND last_failure < ?");
  q->bind(1, now);
  q->bind(2, now - rules_.account_memory_seconds);
  return static_cast<std::size_t>(q->exec());
}

}  // namespace stork
