// The cookie lab's server side: the lab page itself (with what the server
// saw of the frame's request), a fetch that echoes the same for a script
// request, and saved reports with their pages.

#include "http/routes.hpp"

#include "http/routing.hpp"
#include "lab/lab_pages.hpp"
#include "lab/lab_reports.hpp"
#include "publishers/origin.hpp"
#include "sessions/cookies.hpp"

#include <algorithm>

namespace stork {
namespace {

constexpr const char* kLabPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors *";
// Report pages are plain HTML for people: no script at all, never framed.
constexpr const char* kReportPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

std::string clipped_header(const httplib::Request& req, const char* name) {
  std::string value = req.get_header_value(name);
  if (value.size() > 200) value.resize(200);
  return value;
}

// What Stork received: names of cookies (never their values) and the
// headers that tell how the browser classified the request. Empty: absent.
nlohmann::json server_view(const httplib::Request& req) {
  nlohmann::json cookies = nlohmann::json::array();
  for (const auto& [name, value] : parse_cookie_header(req.get_header_value("Cookie"))) {
    (void)value;
    const std::string n = name.size() > 64 ? name.substr(0, 64) : name;
    if (std::find(cookies.begin(), cookies.end(), n) == cookies.end()) cookies.push_back(n);
  }
  return {{"cookies", cookies},
          {"secFetchSite", clipped_header(req, "Sec-Fetch-Site")},
          {"secFetchStorageAccess", clipped_header(req, "Sec-Fetch-Storage-Access")},
          {"secFetchDest", clipped_header(req, "Sec-Fetch-Dest")},
          {"secFetchMode", clipped_header(req, "Sec-Fetch-Mode")},
          {"origin", clipped_header(req, "Origin")}};
}

// Storage Access Headers for a lab framed by any site: a frame that holds
// a storage-access grant says `inactive`; asking for a retry makes the
// browser send the request again with its unpartitioned cookies (`active`),
// and `load` on that one gives the frame storage access on load.
std::string answer_storage_access(const httplib::Request& req) {
  const std::string state = req.get_header_value("Sec-Fetch-Storage-Access");
  if (state == "active") return "load";
  if (state == "inactive") {
    if (const auto origin = normalize_origin(req.get_header_value("Origin"))) {
      return "retry; allowed-origin=\"" + *origin + "\"";
    }
  }
  return "";
}

void lab_page(App& app, const httplib::Request& req, httplib::Response& res) {
  res.set_header("Content-Security-Policy", kLabPolicy);
  res.set_header("Vary", "Sec-Fetch-Storage-Access, Cookie");
  res.set_header("Cache-Control", "no-store");
  const auto file = app.widget_files.get("lab.html");
  if (!file) {
    send_error(res, 500, "internal", "A page of the widget is missing on the server.");
    return;
  }
  const std::string activate = answer_storage_access(req);
  if (!activate.empty()) res.set_header("Activate-Storage-Access", activate);
  nlohmann::json view = server_view(req);
  view["activateStorageAccess"] = activate;
  std::string body = file->content;
  static const std::string placeholder = "{{STORK_SERVER_VIEW}}";
  if (const auto at = body.find(placeholder); at != std::string::npos) {
    body.replace(at, placeholder.size(), html_escape(json_text(view)));
  }
  res.set_content(std::move(body), "text/html; charset=utf-8");
}

void html_page(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_header("Content-Security-Policy", kReportPolicy);
  res.set_header("Cache-Control", "no-store");
  res.set_content(std::move(body), "text/html; charset=utf-8");
}

void not_found_page(httplib::Response& res) {
  html_page(res, 404,
            "<!doctype html><meta charset=utf-8><title>Lab report not found</title>"
            "<link rel=\"stylesheet\" href=\"/assets/lab.css\"><main class=\"lab\"><h1>No such lab "
            "report</h1><p>The link is wrong, or the report expired (reports are kept 30 days)."
            "</p></main>");
}

nlohmann::json report_json(const LabReport& r) {
  return {{"id", r.id},
          {"lab", nlohmann::json::parse(r.body, nullptr, false)},
          {"note", r.note},
          {"user_agent", r.user_agent},
          {"created_at", r.created_at},
          {"expires_at", r.expires_at}};
}

}  // namespace

void register_lab_routes(httplib::Server& server, App& app) {
  server.Get("/lab", [&app](const auto& req, auto& res) { lab_page(app, req, res); });
  server.Get("/api/lab/seen", api_route(app, Access::anyone, [](Call& call) {
               send_json(call.res, 200, server_view(call.req));
             }));
  server.Post("/api/lab/reports", api_route(app, Access::anyone, [](Call& call) {
                const LabReport saved = call.app.lab_reports.save(
                    call.req.body, call.req.get_header_value("User-Agent"), call.now);
                send_json(call.res, 201,
                          {{"id", saved.id},
                           {"url", call.app.public_origin + "/lab/r/" + saved.id},
                           {"expires_at", saved.expires_at}});
              }));
  server.Get(R"(/api/lab/reports/([^/]+))", api_route(app, Access::anyone, [](Call& call) {
               const auto report = call.app.lab_reports.find(call.req.matches[1].str(), call.now);
               if (!report) throw ClientError(404, "not_found", "No such lab report (or it expired).");
               send_json(call.res, 200, report_json(*report));
             }));
  server.Get(R"(/lab/r/([^/]+))", [&app](const httplib::Request& req, httplib::Response& res) {
    const auto report = app.lab_reports.find(req.matches[1].str(), app.clock.now());
    if (!report) {
      not_found_page(res);
      return;
    }
    html_page(res, 200, render_lab_report_page(*report, app.public_origin));
  });
  server.Get("/lab/compare", [&app](const httplib::Request& req, httplib::Response& res) {
    const UnixSeconds now = app.clock.now();
    std::vector<LabReport> found;
    std::vector<std::string> missing;
    for (const std::string& id : LabReports::parse_id_list(req.get_param_value("r"))) {
      if (auto report = app.lab_reports.find(id, now)) {
        found.push_back(std::move(*report));
      } else {
        missing.push_back(id.size() > 40 ? id.substr(0, 40) : id);
      }
    }
    if (found.empty()) {
      not_found_page(res);
      return;
    }
    html_page(res, 200, render_lab_compare_page(found, missing));
  });
}

}  // namespace stork
