#pragma once
// Where saved cookie-lab reports live. Every backend must pass
// tests/unit/lab_report_store_contract.hpp.

#include "clock.hpp"

#include <optional>
#include <string>
#include <vector>

namespace stork {

struct LabReport {
  std::string id;    // unguessable: whoever has it may read the report
  std::string body;  // the lab's JSON, as checked by LabReports
  std::string note;
  std::string user_agent;
  UnixSeconds created_at = 0;
  UnixSeconds expires_at = 0;
};

class LabReportStore {
 public:
  virtual ~LabReportStore() = default;

  virtual void insert(const LabReport& report) = 0;

  // The report with this id unless it expired at `now`.
  virtual std::optional<LabReport> find(const std::string& id, UnixSeconds now) = 0;

  // Removes reports expired at `now`. Returns how many.
  virtual std::size_t purge_expired(UnixSeconds now) = 0;
};

}  // namespace stork
