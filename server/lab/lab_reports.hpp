#pragma once
// Saved cookie-lab reports: a tester runs the lab in several browsers,
// saves each result, and shares one comparison link. Reports are
// size-limited and expire; their ids are the only way to read them.

#include "lab/lab_report_store.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stork {

inline constexpr std::size_t kMaxLabReportBytes = 16 * 1024;  // the lab's JSON
inline constexpr std::size_t kMaxLabNoteBytes = 500;
inline constexpr std::size_t kMaxLabUserAgentBytes = 512;
inline constexpr std::int64_t kLabReportSeconds = 30 * 24 * 3600;
inline constexpr std::size_t kMaxComparedReports = 12;

class LabReports {
 public:
  explicit LabReports(LabReportStore& store) : store_(store) {}

  // Saves {"lab": {...}, "note": "..."?}. Throws ClientError (400, 413) for
  // a body that is not that, or is too big.
  LabReport save(std::string_view request_body, std::string_view user_agent, UnixSeconds now);

  // nullopt for an id that is malformed, unknown or expired.
  std::optional<LabReport> find(std::string_view id, UnixSeconds now);

  // Ids of "ID,ID,..." (at most kMaxComparedReports; duplicates dropped).
  static std::vector<std::string> parse_id_list(std::string_view list);

  std::size_t purge_expired(UnixSeconds now) { return store_.purge_expired(now); }

 private:
  LabReportStore& store_;
};

// "Firefox 153", "Chromium 156", "WebKit (Safari 605.1.15)", ...: a column
// heading for a user agent string.
std::string browser_label(std::string_view user_agent);

}  // namespace stork
