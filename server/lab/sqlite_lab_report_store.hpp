#pragma once

#include "lab/lab_report_store.hpp"
#include "storage/database.hpp"

namespace stork {

class SqliteLabReportStore final : public LabReportStore {
 public:
  explicit SqliteLabReportStore(Database& db) : db_(db) {}

  void insert(const LabReport& report) override;
  std::optional<LabReport> find(const std::string& id, UnixSeconds now) override;
  std::size_t purge_expired(UnixSeconds now) override;

 private:
  Database& db_;
};

}  // namespace stork
