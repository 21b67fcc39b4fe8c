#include "postgresql/pg_lab_report_store.hpp"

namespace stork {

using pg::Connection;
using pg::Params;
using pg::Result;

void PgLabReportStore::insert(const LabReport& r) {
  db_.run([&](Connection& c) {
    c.query("INSERT INTO lab_reports (id, body, note, user_agent, created_at, expires_at) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            Params(r.id, r.body, r.note, r.user_agent, r.created_at, r.expires_at));
  });
}

std::optional<LabReport> PgLabReportStore::find(const std::string& id, UnixSeconds now) {
  return db_.run([&](Connection& c) -> std::optional<LabReport> {
    const Result r = c.query(
        "SELECT body, note, user_agent, created_at, expires_at FROM lab_reports "
        "WHERE id = $1 AND expires_at > $2",
        Params(id, now));
    if (r.rows() == 0) return std::nullopt;
    LabReport out;
    out.id = id;
    out.body = r.string(0, 0);
    out.note = r.string(0, 1);
    out.user_agent = r.string(0, 2);
    out.created_at = r.int64(0, 3);
    out.expires_at = r.int64(0, 4);
    return out;
  });
}

std::size_t PgLabReportStore::purge_expired(UnixSeconds now) {
  return db_.run([&](Connection& c) {
    return static_cast<std::size_t>(
        c.query("DELETE FROM lab_reports WHERE expires_at <= $1", Params(now)).affected());
  });
}

}  // namespace stork
