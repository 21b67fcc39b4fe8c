#pragma once
// Saved cookie-lab reports in PostgreSQL.
//
// Isolation: READ COMMITTED; every call is one statement (a report is
// written once and never changed), so nothing needs more.

#include "lab/lab_report_store.hpp"
#include "postgresql/pg_database.hpp"

namespace stork {

class PgLabReportStore final : public LabReportStore {
 public:
  explicit PgLabReportStore(pg::Database& db) : db_(db) {}

  void insert(const LabReport& report) override;
  std::optional<LabReport> find(const std::string& id, UnixSeconds now) override;
  std::size_t purge_expired(UnixSeconds now) override;

 private:
  pg::Database& db_;
};

}  // namespace stork
