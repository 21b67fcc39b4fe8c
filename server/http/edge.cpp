#include "http/edge.hpp"

#include "http/csrf.hpp"
#include "http/routing.hpp"
#include "publishers/origin.hpp"

#include <chrono>

namespace stork {
namespace {

// A request is handled start to finish on one worker thread.
thread_local std::chrono::steady_clock::time_point request_started{};

bool is_api_path(const std::string& path) {
  return path.rfind("/api/", 0) == 0 || path.rfind("/products/", 0) == 0;
}

std::optional<std::string_view> header(const httplib::Request& req, const char* name) {
  const auto it = req.headers.find(name);
  if (it == req.headers.end()) return std::nullopt;
  return std::string_view(it->second);
}

// The publisher a request is made for: the widget's ?publisher=, the
// Referer of a request from inside the widget, or a registered Origin.
std::optional<std::string> publisher_of(const App& app, const httplib::Request& req) {
  if (req.has_param("publisher")) return req.get_param_value("publisher");
  const std::string referer = req.get_header_value("Referer");
  if (referer.rfind(app.public_origin + "/widget?", 0) == 0) {
    const auto at = referer.find("publisher=");
    if (at != std::string::npos) {
      const auto end = referer.find('&', at);
      return referer.substr(at + 10, end == std::string::npos ? end : end - at - 10);
    }
  }
  if (req.has_header("Origin")) {
    if (const auto origin = normalize_origin(req.get_header_value("Origin"))) {
      return app.publishers.key_for_origin(*origin);
    }
  }
  return std::nullopt;
}

}  // namespace

httplib::Server::HandlerResponse before_routing(App& app, const httplib::Request& req,
                                                httplib::Response& res) {
  using R = httplib::Server::HandlerResponse;
  request_started = std::chrono::steady_clock::now();

  if (req.headers.size() > kMaxHeaders) {
    send_error(res, 431, "headers_too_large", "Too many request headers.");
    return R::Handled;
  }
  const std::string& cookie = req.get_header_value("Cookie");
  if (std::count(cookie.begin(), cookie.end(), ';') >= static_cast<long>(kMaxCookiePairs)) {
    send_error(res, 431, "headers_too_large", "Too many cookies.");
    return R::Handled;
  }
  // Chunked bodies are not bounded by the library's payload limit: Stork
  // takes only bodies of declared length.
  if (req.has_header("Transfer-Encoding")) {
    send_error(res, 411, "length_required", "Send a Content-Length; chunked bodies are refused.");
    return R::Handled;
  }
  if (req.has_header("Content-Length")) {
    const std::string& length = req.get_header_value("Content-Length");
    const bool numeric = !length.empty() && length.size() <= 12 &&
                         std::all_of(length.begin(), length.end(), ::isdigit);
    if (!numeric) {
      send_error(res, 400, "bad_request", "The Content-Length header is malformed.");
      return R::Handled;
    }
    if (std::stoull(length) > app.config.max_body_bytes) {
      send_error(res, 413, "payload_too_large", "The request body is too large.");
      return R::Handled;
    }
  }
  const CsrfFailure failure = check_request_origin(req.method, header(req, "Origin"),
                                                   header(req, "Sec-Fetch-Site"), app.public_origin);
  if (failure != CsrfFailure::none) {
    send_error(res, 403, "csrf", describe(failure));
    return R::Handled;
  }
  if (!is_safe_method(req.method) && is_api_path(req.path) && req.get_header_value("Content-Length") != "0" &&
      req.has_header("Content-Length")) {
    const std::string& type = req.get_header_value("Content-Type");
    if (type.rfind("application/json", 0) != 0) {
      send_error(res, 415, "unsupported_media_type", "Send the body as application/json.");
      return R::Handled;
    }
  }
  if (req.method == "OPTIONS") {
    // Preflights: registered publishers may read; nobody else hears more.
    const auto origin = normalize_origin(req.get_header_value("Origin"));
    if (origin && app.publishers.is_registered_origin(*origin)) {
      res.set_header("Access-Control-Allow-Methods", "GET, HEAD");
      res.set_header("Access-Control-Allow-Headers", "Content-Type");
      res.set_header("Access-Control-Max-Age", "600");
    }
    res.status = 204;
    return R::Handled;
  }
  return R::Unhandled;
}

void after_routing(App& app, const httplib::Request& req, httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
  if (app.config.tls()) {
    res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
  // A response that sets a cookie is personal whatever its path.
  if (!is_api_path(req.path) && req.method != "OPTIONS") {
    if (res.has_header("Set-Cookie")) {
      res.headers.erase("Cache-Control");
      res.set_header("Cache-Control", "no-store");
    }
    return;
  }

  // Personal data and cookies are never cached by anyone.
  res.set_header("Cache-Control", "no-store");
  res.set_header("Vary", "Origin, Cookie, Authorization");
  const auto origin = normalize_origin(req.get_header_value("Origin"));
  const bool readable = req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS";
  if (origin && readable && *origin != app.public_origin &&
      app.publishers.is_registered_origin(*origin)) {
    res.set_header("Access-Control-Allow-Origin", *origin);
    res.set_header("Access-Control-Allow-Credentials", "true");
  }
}

void fill_error_body(const httplib::Request&, httplib::Response& res) {
  if (!res.body.empty()) return;
  switch (res.status) {
    case 400: send_error(res, 400, "bad_request", "The request is malformed."); break;
    case 404: send_error(res, 404, "not_found", "Nothing here."); break;
    case 405: send_error(res, 405, "method_not_allowed", "That method is not allowed here."); break;
    case 413: send_error(res, 413, "payload_too_large", "The request body is too large."); break;
    case 414: send_error(res, 414, "uri_too_long", "The request URI is too long."); break;
    default:
      if (res.status >= 500) {
        send_error(res, res.status, "internal", "Something went wrong on our side.");
      } else {
        send_error(res, res.status, "error", "The request was refused.");
      }
  }
}

void account(App& app, const httplib::Request& req, const httplib::Response& res) {
  double seconds = 0;
  if (request_started.time_since_epoch().count() != 0) {
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - request_started).count();
    request_started = {};
  }
  app.metrics.record_request(classify_route(req.method, req.path), res.status, seconds);
  if (const auto key = publisher_of(app, req); key && app.publishers.contains(*key)) {
    app.metrics.record_publisher(*key, res.body.size());
  }
}

}  // namespace stork
