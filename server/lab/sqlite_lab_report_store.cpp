#include "lab/sqlite_lab_report_store.hpp"

namespace stork {

void SqliteLabReportStore::insert(const LabReport& r) {
  auto q = db_.connection().prepare(
      "INSERT INTO lab_reports (id, body, note, user_agent, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  q->bind(1, r.id);
  q->bind(2, r.body);
  q->bind(3, r.note);
  q->bind(4, r.user_agent);
  q->bind(5, r.created_at);
  q->bind(6, r.expires_at);
  q->exec();
}

std::optional<LabReport> SqliteLabReportStore::find(const std::string& id, UnixSeconds now) {
  auto q = db_.connection().prepare(
      "SELECT body, note, user_agent, created_at, expires_at FROM lab_reports "
      "WHERE id = ? AND expires_at > ?");
  q->bind(1, id);
  q->bind(2, now);
  if (!q->executeStep()) return std::nullopt;
  LabReport r;
  r.id = id;
  r.body = q->getColumn(0).getString();
  r.note = q->getColumn(1).getString();
  r.user_agent = q->getColumn(2).getString();
  r.created_at = q->getColumn(3).getInt64();
  r.expires_at = q->getColumn(4).getInt64();
  return r;
}

std::size_t SqliteLabReportStore::purge_expired(UnixSeconds now) {
  auto q = db_.connection().prepare("DELETE FROM lab_reports WHERE expires_at <= ?");
  q->bind(1, now);
  return static_cast<std::size_t>(q->exec());
}

}  // namespace stork
