#include "http/routes.hpp"

#include "http/api_types.hpp"
#include "http/metrics_listener.hpp"
#include "http/routing.hpp"
#include "publishers/origin.hpp"

namespace stork {
namespace {

// No inline script or style anywhere: the pages load /assets/*.js and .css.
// Product images may come from any https:// host the catalog names.
constexpr const char* kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; ";

// Serves a file with ETag revalidation.
void serve_static(const StaticFile& file, const httplib::Request& req, httplib::Response& res,
                  const char* cache_control) {
  res.set_header("ETag", file.etag);
  res.set_header("Cache-Control", cache_control);
  if (req.get_header_value("If-None-Match") == file.etag) {
    res.status = 304;
    return;
  }
  res.status = 200;
  res.set_content(file.content, file.content_type.c_str());
}

// The same, from a path below `files`. False when it does not exist.
bool serve_file(StaticFiles& files, std::string_view relative, const httplib::Request& req,
                httplib::Response& res, const char* cache_control) {
  const auto file = files.get(relative);
  if (!file) return false;
  serve_static(*file, req, res, cache_control);
  return true;
}

void serve_page(App& app, const char* file, const httplib::Request& req, httplib::Response& res,
                const std::string& frame_ancestors_directive) {
  res.set_header("Content-Security-Policy", kPagePolicy + frame_ancestors_directive);
  if (!serve_file(app.widget_files, file, req, res, "no-cache")) {
    send_error(res, 500, "internal", "A page of the widget is missing on the server.");
  }
}

// Storage Access Headers (Chromium 133+): a frame that was granted storage
// access before asks with Sec-Fetch-Storage-Access; answering lets the
// browser send cookies at once, so the visitor is signed in on first paint.
void answer_storage_access(const Publisher& publisher, const httplib::Request& req,
                           httplib::Response& res) {
  res.set_header("Vary", "Sec-Fetch-Storage-Access");
  const std::string state = req.get_header_value("Sec-Fetch-Storage-Access");
  if (state == "active") {
    res.set_header("Activate-Storage-Access", "load");
  } else if (state == "inactive") {
    const auto origin = normalize_origin(req.get_header_value("Origin"));
    if (!origin) return;
    for (const std::string& allowed : publisher.origins) {
      if (allowed == *origin) {
        res.set_header("Activate-Storage-Access", "retry; allowed-origin=\"" + allowed + "\"");
        return;
      }
    }
  }
}

void widget(App& app, const httplib::Request& req, httplib::Response& res) {
  const auto publisher = app.publishers.find(req.get_param_value("publisher"));
  if (!publisher) {
    res.status = 403;
    res.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    res.set_content(
        "<!doctype html><meta charset=utf-8><title>Stork</title>"
        "<p>This site is not registered to show the Stork widget.</p>",
        "text/html; charset=utf-8");
    return;
  }
  answer_storage_access(*publisher, req, res);
  serve_page(app, "widget.html", req, res, frame_ancestors(publisher));
  const auto id = parse_id(req.get_param_value("product"));
  if (res.status == 200 && (!id || !app.catalog.product(*id))) res.status = 404;
}

}  // namespace

void register_page_routes(httplib::Server& server, App& app) {
  server.Get("/widget", [&app](const auto& req, auto& res) { widget(app, req, res); });
  server.Get("/login", [&app](const auto& req, auto& res) {
    res.set_header("X-Frame-Options", "DENY");
    serve_page(app, "login.html", req, res, "frame-ancestors 'none'");
  });
  // Stork's other first-party pages: like /login, never framed.
  for (const auto& [path, file] : {std::pair{"/signup", "signup.html"}, std::pair{"/reset", "reset.html"},
                                   std::pair{"/account", "account.html"}}) {
    server.Get(path, [&app, page = file](const auto& req, auto& res) {
      res.set_header("X-Frame-Options", "DENY");
      serve_page(app, page, req, res, "frame-ancestors 'none'");
    });
  }
  // /lab is in lab_routes.cpp: it carries the server's view of its request.
  server.Get("/embed.js", [&app](const auto& req, auto& res) {
    res.set_header("Access-Control-Allow-Origin", "*");
    if (!serve_file(app.widget_files, "embed.js", req, res, "public, max-age=300")) {
      send_error(res, 404, "not_found", "No such file.");
    }
  });
  server.Get(R"(/assets/(.+))", [&app](const auto& req, auto& res) {
    // Page templates are documents with their own routes and frame rules
    // (/widget, /login, /lab); as plain files they would be framable.
    const auto file = app.widget_files.get(req.matches[1].str());
    if (!file || file->content_type.rfind("text/html", 0) == 0) {
      send_error(res, 404, "not_found", "No such file.");
      return;
    }
    serve_static(*file, req, res, "public, max-age=300");
  });
  server.Get("/healthz", [&app](const auto&, auto& res) {
    if (app.backend->reachable()) {
      res.set_content("ok\n", "text/plain; charset=utf-8");
    } else {
      res.status = 503;
      res.set_header("Retry-After", "1");
      res.set_content("database unavailable\n", "text/plain; charset=utf-8");
    }
  });
  // With --metrics-listen the figures have a listener of their own.
  if (app.config.metrics_listen) return;
  server.Get("/metrics", [&app](const httplib::Request& req, httplib::Response& res) {
    // Accounting figures are the operator's business, not the public's:
    // local clients only, by the address the rest of Stork believes (behind
    // --trusted-proxy, the client the proxy names, not the proxy itself).
    if (!is_loopback_address(client_address(app, req))) {
      send_error(res, 403, "forbidden", "Metrics are served to local clients only.");
      return;
    }
    serve_metrics(app, res);
  });
}

}  // namespace stork
