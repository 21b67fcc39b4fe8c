#include "postgresql/pg_throttle_store.hpp"

namespace stork {
namespace {

using pg::Connection;
using pg::Params;
using pg::Result;

std::size_t affected(const Result& r) { return static_cast<std::size_t>(r.affected()); }

}  // namespace

ThrottleEntry PgThrottleStore::lock(const std::string& key) {
  return db_.transaction([&](Connection& c) {
    c.query("INSERT INTO login_failures (key, failures, last_failure, blocked_until) "
            "VALUES ($1, 0, 0, 0) ON CONFLICT (key) DO NOTHING",
            Params(key));
    const Result r = c.query(
        "SELECT failures, last_failure, blocked_until, in_flight, last_admitted FROM login_failures "
        "WHERE key = $1 FOR UPDATE",
        Params(key));
    ThrottleEntry e;
    if (r.rows() == 0) return e;  // removed between the two statements: nothing to count yet
    e.failures = r.int64(0, 0);
    e.last_failure = r.int64(0, 1);
    e.blocked_until = r.int64(0, 2);
    e.in_flight = r.int64(0, 3);
    e.last_admitted = r.int64(0, 4);
    return e;
  });
}

void PgThrottleStore::save(const std::string& key, const ThrottleEntry& e) {
  db_.run([&](Connection& c) {
    c.query("INSERT INTO login_failures (key, failures, last_failure, blocked_until, in_flight, last_admitted) "
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
            "last_failure = excluded.last_failure, blocked_until = excluded.blocked_until, "
            "in_flight = excluded.in_flight, last_admitted = excluded.last_admitted",
            Params(key, e.failures, e.last_failure, e.blocked_until, e.in_flight, e.last_admitted));
  });
}

void PgThrottleStore::remove(const std::string& key) {
  db_.run([&](Connection& c) { c.query("DELETE FROM login_failures WHERE key = $1", Params(key)); });
}

std::size_t PgThrottleStore::purge(UnixSeconds now, UnixSeconds forget_before, UnixSeconds stale_before) {
  // In flight but admitted before stale_before: the attempt's process died
  // before settling it, so it holds nothing back any more.
  return db_.run([&](Connection& c) {
    return affected(c.query("DELETE FROM login_failures WHERE blocked_until <= $1 AND last_failure < $2 "
                            "AND (in_flight = 0 OR last_admitted < $3)",
                            Params(now, forget_before, stale_before)));
  });
}

void PgThrottleStore::trust_device(const std::string& token_hash, std::int64_t user_id, UnixSeconds now) {
  db_.run([&](Connection& c) {
    c.query("INSERT INTO trusted_devices (token_hash, user_id, issued_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (token_hash) DO UPDATE SET user_id = excluded.user_id, issued_at = excluded.issued_at",
            Params(token_hash, user_id, now));
  });
}

std::optional<std::int64_t> PgThrottleStore::trusted_device_user(const std::string& token_hash) {
  return db_.run([&](Connection& c) -> std::optional<std::int64_t> {
    const Result r = c.query("SELECT user_id FROM trusted_devices WHERE token_hash = $1", Params(token_hash));
    if (r.rows() == 0) return std::nullopt;
    return r.int64(0, 0);
  });
}

void PgThrottleStore::distrust_device(const std::string& token_hash) {
  db_.run([&](Connection& c) { c.query("DELETE FROM trusted_devices WHERE token_hash = $1", Params(token_hash)); });
}

std::size_t PgThrottleStore::purge_devices(UnixSeconds issued_before) {
  return db_.run([&](Connection& c) {
    return affected(c.query("DELETE FROM trusted_devices WHERE issued_at < $1", Params(issued_before)));
  });
}

}  // namespace stork
