#include "lab/lab_pages.hpp"

#include "lab/lab_reports.hpp"

#include <nlohmann/json.hpp>

#include <ctime>

namespace stork {
namespace {

// The capabilities compared, in reading order: a JSON pointer into the
// lab's JSON and what a tester calls it.
struct Capability {
  const char* pointer;
  const char* label;
};
constexpr Capability kCapabilities[] = {
    {"/cookieEnabled", "navigator.cookieEnabled"},
    {"/unpartitionedCookie", "Unpartitioned SameSite=None cookie"},
    {"/partitionedCookie", "Partitioned (CHIPS) cookie"},
    {"/hasStorageAccess", "hasStorageAccess()"},
    {"/requestStorageAccess", "requestStorageAccess() on a click"},
    {"/storageAccessAll", "requestStorageAccess({all: true})"},
    {"/localStorage", "localStorage available"},
    {"/localStoragePartitioned", "localStorage partitioned"},
    {"/indexedDB", "IndexedDB available"},
    {"/indexedDBPartitioned", "IndexedDB partitioned"},
    {"/storageAccessHeaders", "Storage Access Headers round trip"},
    {"/server/document/secFetchStorageAccess", "Sec-Fetch-Storage-Access (frame document)"},
    {"/server/document/secFetchSite", "Sec-Fetch-Site (frame document)"},
    {"/server/document/secFetchDest", "Sec-Fetch-Dest (frame document)"},
    {"/server/document/cookies", "Cookies on the frame document"},
    {"/server/fetch/cookies", "Cookies on the lab's fetch"},
    {"/server/fetch/secFetchSite", "Sec-Fetch-Site (fetch)"},
    {"/server/fetch/origin", "Origin (fetch)"},
    {"/topLevelSite", "Top-level site"},
    {"/framed", "Framed"},
};

constexpr const char* kHead =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<link rel=\"stylesheet\" href=\"/assets/lab.css\">";

std::string utc_date(UnixSeconds t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

// One table cell for a value: its text and a tone for the colour.
std::string cell(const nlohmann::json* value) {
  if (!value || value->is_null()) return "<td class=\"lab-cell\" data-tone=\"grey\">—</td>";
  std::string tone = "grey";
  std::string text;
  if (value->is_boolean()) {
    tone = value->get<bool>() ? "green" : "red";
    text = value->get<bool>() ? "yes" : "no";
  } else if (value->is_string()) {
    text = value->get<std::string>();
    if (text.empty()) text = "not sent";  // a header the browser left out
    if (text == "granted" || text == "active") tone = "green";
    if (text == "denied" || text == "unsupported") tone = "red";
  } else if (value->is_array()) {
    for (const auto& item : *value) {
      if (!text.empty()) text += ", ";
      text += item.is_string() ? item.get<std::string>() : item.dump();
    }
    if (text.empty()) text = "none";
  } else {
    text = value->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return "<td class=\"lab-cell\" data-tone=\"" + tone + "\">" + html_escape(text) + "</td>";
}

const nlohmann::json* at(const nlohmann::json& doc, const char* pointer) {
  try {
    const nlohmann::json::json_pointer p(pointer);
    return doc.contains(p) ? &doc.at(p) : nullptr;
  } catch (const nlohmann::json::exception&) {
    return nullptr;
  }
}

nlohmann::json parsed(const LabReport& r) {
  return nlohmann::json::parse(r.body, nullptr, false);  // discarded (null) if ever invalid
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string render_lab_report_page(const LabReport& report, const std::string& public_origin) {
  const nlohmann::json doc = parsed(report);
  const std::string label = browser_label(report.user_agent);
  std::string html = kHead;
  html += "<title>Lab report: " + html_escape(label) + "</title></head><body>";
  html += "<main class=\"lab lab-report\" data-report-id=\"" + html_escape(report.id) + "\">";
  html += "<header class=\"lab-header\"><h1>Cookie lab report: " + html_escape(label) + "</h1>";
  html += "<p class=\"lab-context\">Saved " + utc_date(report.created_at) + ", kept until " +
          utc_date(report.expires_at) + ".</p></header>";
  if (!report.note.empty()) html += "<p class=\"lab-note\">" + html_escape(report.note) + "</p>";
  html += "<p class=\"lab-ua\"><code>" + html_escape(report.user_agent) + "</code></p>";
  html += "<table class=\"lab-table\"><tbody>";
  for (const Capability& c : kCapabilities) {
    html += "<tr><th scope=\"row\">" + html_escape(c.label) + "</th>" + cell(at(doc, c.pointer)) + "</tr>";
  }
  html += "</tbody></table>";
  const std::string compare = "/lab/compare?r=" + report.id;
  html += "<p>Compare with other browsers: <a href=\"" + html_escape(compare) + "\">" +
          html_escape(public_origin + compare) + ",…</a> (add more ids, comma-separated).</p>";
  html += "<details><summary>The lab's JSON</summary><pre>" +
          html_escape(doc.is_discarded() ? report.body : doc.dump(2, ' ', false,
                                                                 nlohmann::json::error_handler_t::replace)) +
          "</pre></details>";
  html += "</main></body></html>";
  return html;
}

std::string render_lab_compare_page(const std::vector<LabReport>& reports,
                                    const std::vector<std::string>& missing) {
  std::vector<nlohmann::json> docs;
  for (const LabReport& r : reports) docs.push_back(parsed(r));
  std::string html = kHead;
  html += "<title>Cookie lab: browsers compared</title></head><body>";
  html += "<main class=\"lab lab-compare\"><header class=\"lab-header\"><h1>Cookie lab: " +
          std::to_string(reports.size()) + (reports.size() == 1 ? " browser" : " browsers") +
          " compared</h1>";
  html += "<p class=\"lab-context\">What each browser let a third-party frame do, as saved from the lab.</p></header>";
  if (!missing.empty()) {
    html += "<p class=\"lab-missing\">Not found (unknown or expired after 30 days):";
    for (const auto& id : missing) html += " <code>" + html_escape(id) + "</code>";
    html += "</p>";
  }
  html += "<div class=\"lab-table-wrap\"><table class=\"lab-table\"><thead><tr><th scope=\"col\">Capability</th>";
  for (const LabReport& r : reports) {
    html += "<th scope=\"col\"><a href=\"/lab/r/" + html_escape(r.id) + "\">" +
            html_escape(browser_label(r.user_agent)) + "</a>";
    if (!r.note.empty()) html += "<span class=\"lab-col-note\">" + html_escape(r.note) + "</span>";
    html += "</th>";
  }
  html += "</tr></thead><tbody>";
  for (const Capability& c : kCapabilities) {
    html += "<tr><th scope=\"row\">" + html_escape(c.label) + "</th>";
    for (const auto& doc : docs) html += cell(at(doc, c.pointer));
    html += "</tr>";
  }
  html += "</tbody></table></div></main></body></html>";
  return html;
}

}  // namespace stork
