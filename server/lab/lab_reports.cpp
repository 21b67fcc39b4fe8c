#include "lab/lab_reports.hpp"

#include "http/api_types.hpp"
#include "sessions/token.hpp"

#include <algorithm>
#include <regex>

namespace stork {
namespace {

bool is_report_id(std::string_view id) {
  return id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// Cuts at a UTF-8 character boundary.
std::string clipped_utf8(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end));
}

std::string version_after(const std::string& ua, const std::string& token) {
  const std::regex pattern(token + "/([0-9]+(\\.[0-9]+)*)");
  std::smatch m;
  if (!std::regex_search(ua, m, pattern)) return "";
  return m[1].str();
}

std::string major(const std::string& version) { return version.substr(0, version.find('.')); }

}  // namespace

LabReport LabReports::save(std::string_view request_body, std::string_view user_agent,
                           UnixSeconds now) {
  const nlohmann::json request = parse_json_object(request_body);
  const auto lab = request.find("lab");
  if (lab == request.end() || !lab->is_object()) {
    throw ClientError(400, "bad_request", "Send {\"lab\": {...the lab's JSON...}, \"note\": \"...\"}.");
  }
  std::string note;
  if (const auto n = request.find("note"); n != request.end()) {
    if (!n->is_string()) throw ClientError(400, "bad_request", "The note must be a string.");
    note = n->get<std::string>();
    if (note.size() > kMaxLabNoteBytes) {
      throw ClientError(400, "bad_request",
                        "The note is at most " + std::to_string(kMaxLabNoteBytes) + " bytes.");
    }
  }
  LabReport report;
  report.body = lab->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (report.body.size() > kMaxLabReportBytes) {
    throw ClientError(413, "payload_too_large", "A lab report is at most 16 KiB.");
  }
  report.id = random_hex(16);
  report.note = std::move(note);
  report.user_agent = clipped_utf8(user_agent, kMaxLabUserAgentBytes);
  report.created_at = now;
  report.expires_at = now + kLabReportSeconds;
  store_.insert(report);
  return report;
}

std::optional<LabReport> LabReports::find(std::string_view id, UnixSeconds now) {
  if (!is_report_id(id)) return std::nullopt;
  return store_.find(std::string(id), now);
}

std::vector<std::string> LabReports::parse_id_list(std::string_view list) {
  std::vector<std::string> ids;
  std::size_t start = 0;
  while (start <= list.size() && ids.size() < kMaxComparedReports) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    std::string id(list.substr(start, comma - start));
    id.erase(std::remove(id.begin(), id.end(), ' '), id.end());
    if (!id.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    start = comma + 1;
  }
  return ids;
}

std::string browser_label(std::string_view user_agent) {
  const std::string ua(user_agent);
  if (const auto v = version_after(ua, "Firefox"); !v.empty()) return "Firefox " + major(v);
  if (const auto v = version_after(ua, "Edg"); !v.empty()) return "Edge " + major(v);
  if (const auto v = version_after(ua, "Chrome"); !v.empty()) {
    return (ua.find("HeadlessChrome") != std::string::npos ? "Chromium (headless) " : "Chromium ") +
           major(v);
  }
  if (ua.find("AppleWebKit") != std::string::npos) {
    const auto safari = version_after(ua, "Version");
    const bool apple = ua.find("Macintosh") != std::string::npos ||
                       ua.find("iPhone") != std::string::npos || ua.find("iPad") != std::string::npos;
    if (apple && !safari.empty()) return "Safari " + safari;
    return "WebKit" + (safari.empty() ? std::string() : " " + safari);
  }
  if (ua.empty()) return "unknown browser";
  return clipped_utf8(ua, 40);
}

}  // namespace stork
