#include "http/edge.hpp"

#include "http/csrf.hpp"
#include "http/framing.hpp"
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

void send_refusal(httplib::Response& res, const Refusal& refusal) {
  send_error(res, refusal.status, refusal.code, refusal.message);
}

// The checks on a request's head that do not concern its framing.
std::optional<Refusal> head_refusal(const App& app, const httplib::Request& req) {
  if (req.headers.size() > kMaxHeaders) {
    return Refusal{431, "headers_too_large", "Too many request headers."};
  }
  const std::string& cookie = req.get_header_value("Cookie");
  if (std::count(cookie.begin(), cookie.end(), ';') >= static_cast<long>(kMaxCookiePairs)) {
    return Refusal{431, "headers_too_large", "Too many cookies."};
  }
  const CsrfFailure failure = check_request_origin(req.method, header(req, "Origin"),
                                                   header(req, "Sec-Fetch-Site"), app.public_origin);
  if (failure != CsrfFailure::none) return Refusal{403, "csrf", std::string(describe(failure))};
  if (!is_safe_method(req.method) && is_api_path(req.path) && req.get_header_value("Content-Length") != "0" &&
      req.has_header("Content-Length")) {
    const std::string& type = req.get_header_value("Content-Type");
    if (type.rfind("application/json", 0) != 0) {
      return Refusal{415, "unsupported_media_type", "Send the body as application/json."};
    }
  }
  return std::nullopt;
}

bool says_who_may_frame(const httplib::Response& res) {
  const auto policies = res.headers.equal_range("Content-Security-Policy");
  for (auto it = policies.first; it != policies.second; ++it) {
    if (it->second.find("frame-ancestors") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

httplib::Server::HandlerResponse before_routing(App& app, const httplib::Request& req,
                                                httplib::Response& res) {
  using R = httplib::Server::HandlerResponse;
  request_started = std::chrono::steady_clock::now();

  serve_whole_representations(req);  // Range is ignored (framing.hpp)

  if (const auto refusal = inspect_framing(req)) {
    send_refusal(res, *refusal);  // and the connection is closed after it
    return R::Handled;
  }
  if (auto refusal = head_refusal(app, req)) {
    if (body_will_be_read()) {
      // Answered by the route wrapper once the body is read, so that no
      // byte of it is left on the connection.
      defer_refusal(std::move(*refusal));
      return R::Unhandled;
    }
    send_refusal(res, *refusal);
    return R::Handled;
  }
  if (req.method == "OPTIONS") {
    // Preflights: registered publishers may read the product JSON; nobody
    // else hears more.
    const auto origin = normalize_origin(req.get_header_value("Origin"));
    if (origin && is_cross_origin_readable(req.path) && app.publishers.is_registered_origin(*origin)) {
      res.set_header("Access-Control-Allow-Methods", "GET, HEAD");
      res.set_header("Access-Control-Allow-Headers", "Content-Type");
      res.set_header("Access-Control-Max-Age", "600");
    }
    res.status = 204;
    return R::Handled;
  }
  return R::Unhandled;
}

bool is_cross_origin_readable(const std::string& path) {
  constexpr std::string_view prefix = "/products/", suffix = ".json";
  return path.size() > prefix.size() + suffix.size() && path.rfind(prefix, 0) == 0 &&
         path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void after_routing(App& app, const httplib::Request& req, httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
  // Whole representations only (see before_routing); the library offers
  // ranges on HEAD by itself.
  res.headers.erase("Accept-Ranges");
  res.set_header("Accept-Ranges", "none");
  if (app.config.tls()) {
    res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
  // An HTML document whose route did not say who may frame it may be
  // framed by nobody (clickjacking).
  if (res.get_header_value("Content-Type").rfind("text/html", 0) == 0 && !says_who_may_frame(res)) {
    res.set_header("Content-Security-Policy", "frame-ancestors 'none'");
    res.set_header("X-Frame-Options", "DENY");
  }
  if (!is_api_path(req.path) && req.method != "OPTIONS") {
    // A response that sets a cookie is personal whatever its path.
    if (res.has_header("Set-Cookie")) {
      res.headers.erase("Cache-Control");
      res.set_header("Cache-Control", "no-store");
    }
  } else {
    // Personal data and cookies are never cached by anyone.
    res.set_header("Cache-Control", "no-store");
    res.set_header("Vary", "Origin, Cookie, Authorization");
    // Publishers may read the product JSON with credentials; nothing that
    // describes the visitor's account or sessions.
    const auto origin = normalize_origin(req.get_header_value("Origin"));
    const bool readable = req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS";
    if (origin && readable && is_cross_origin_readable(req.path) && *origin != app.public_origin &&
        app.publishers.is_registered_origin(*origin)) {
      res.set_header("Access-Control-Allow-Origin", *origin);
      res.set_header("Access-Control-Allow-Credentials", "true");
    }
  }
  // Last: bytes of this request still unread would be taken for the next
  // request on the connection, so the connection ends with this response.
  if (!request_fully_read(req)) close_connection_after(req, res);
}

void fill_error_body(const httplib::Request&, httplib::Response& res) {
  if (!res.body.empty() || res.content_provider_) return;
  if (res.status == 404 || res.status == 405) {
    // No route took the request: a refusal that waited for its body is
    // the better answer.
    if (const auto refusal = take_deferred_refusal()) {
      send_error(res, refusal->status, refusal->code, refusal->message);
      return;
    }
  }
  switch (res.status) {
    case 400: send_error(res, 400, "bad_request", "The request is malformed."); break;
    case 404: send_error(res, 404, "not_found", "Nothing here."); break;
    case 405: send_error(res, 405, "method_not_allowed", "That method is not allowed here."); break;
    case 413: send_error(res, 413, "payload_too_large", "The request body is too large."); break;
    case 414: send_error(res, 414, "uri_too_long", "The request URI is too long."); break;
    case 416: send_error(res, 416, "range_not_satisfiable", "The Range header is malformed."); break;
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
  end_request_framing();
  app.metrics.record_request(classify_route(req.method, req.path), res.status, seconds);
  if (const auto key = publisher_of(app, req); key && app.publishers.contains(*key)) {
    app.metrics.record_publisher(*key, res.body.size());
  }
}

}  // namespace stork
