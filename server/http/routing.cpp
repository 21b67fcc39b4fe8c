#include "http/routing.hpp"

#include "http/csrf.hpp"
#include "http/framing.hpp"
#include "sessions/cookies.hpp"
#include "sessions/token.hpp"


#include <iostream>

namespace stork {
namespace {

std::optional<std::string> bearer_token(const httplib::Request& req) {
  const auto& value = req.get_header_value("Authorization");
  constexpr std::string_view prefix = "Bearer ";
  if (value.size() <= prefix.size() || value.compare(0, prefix.size(), prefix) != 0) {
    return std::nullopt;
  }
  return value.substr(prefix.size());
}

std::optional<Caller> caller_for(App& app, const std::string& token, Via via, UnixSeconds now) {
  auto session = app.sessions.resolve(token, now);
  if (!session) return std::nullopt;
  auto user = app.accounts.find(session->session.user_id);
  if (!user || user->disabled) return std::nullopt;
  return Caller{std::move(*session), std::move(*user), via};
}

}  // namespace

std::string_view via_name(Via via) {
  switch (via) {
    case Via::cookie: return "cookie";
    case Via::partitioned_cookie: return "partitioned-cookie";
    case Via::token: return "token";
  }
  return "cookie";
}

std::optional<Caller> identify_caller(App& app, const httplib::Request& req, UnixSeconds now) {
  if (const auto token = bearer_token(req)) return caller_for(app, *token, Via::token, now);
  if (!req.has_header("Cookie")) return std::nullopt;
  const CookieList cookies = parse_cookie_header(req.get_header_value("Cookie"));
  for (const auto& token : cookie_values(cookies, kSessionCookie)) {
    if (auto caller = caller_for(app, token, Via::cookie, now)) return caller;
  }
  for (const auto& token : cookie_values(cookies, kPartitionedCookie)) {
    if (auto caller = caller_for(app, token, Via::partitioned_cookie, now)) return caller;
  }
  return std::nullopt;
}

std::vector<std::string> presented_tokens(const httplib::Request& req) {
  std::vector<std::string> tokens;
  if (const auto token = bearer_token(req)) tokens.push_back(*token);
  const CookieList cookies = parse_cookie_header(req.get_header_value("Cookie"));
  for (auto& t : cookie_values(cookies, kSessionCookie)) tokens.push_back(std::move(t));
  for (auto& t : cookie_values(cookies, kPartitionedCookie)) tokens.push_back(std::move(t));
  return tokens;
}

std::string client_address(const App& app, const httplib::Request& req) {
  if (!app.config.trusted_proxy.empty() && req.remote_addr == app.config.trusted_proxy &&
      req.has_header("X-Forwarded-For")) {
    const std::string chain = req.get_header_value("X-Forwarded-For");
    const auto comma = chain.rfind(',');
    std::string last = comma == std::string::npos ? chain : chain.substr(comma + 1);
    while (!last.empty() && last.front() == ' ') last.erase(0, 1);
    if (!last.empty() && last.size() <= 45) return last;
  }
  return req.remote_addr;
}

std::string json_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void send_json_text(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), "application/json; charset=utf-8");
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  send_json_text(res, status, json_text(body));
}

void send_error(httplib::Response& res, int status, std::string_view code,
                std::string_view message) {
  send_json(res, status, {{"error", code}, {"message", message}});
}

void set_session_cookies(const App& app, const httplib::Request& req, httplib::Response& res,
                         const std::string& token, bool remember) {
  const CookieAttributes attrs{app.sessions.policy().cookie_max_age(remember),
                               supports_same_site_none(req.get_header_value("User-Agent"))};
  res.set_header("Set-Cookie", session_cookie(token, attrs));
  res.set_header("Set-Cookie", partitioned_cookie(token, attrs));
}

void clear_session_cookies(const httplib::Request& req, httplib::Response& res) {
  const bool none = supports_same_site_none(req.get_header_value("User-Agent"));
  res.set_header("Set-Cookie", expired_session_cookie(none));
  res.set_header("Set-Cookie", expired_partitioned_cookie(none));
}

namespace {

// The access rules and the handler, for one request. Returns after
// answering; storage errors propagate to api_route.
void handle_call(App& app, Access access, Reads reads, const CallHandler& handler,
                 const httplib::Request& req, httplib::Response& res) {
  Call call{app, req, res, app.clock.now(), std::nullopt};
  std::unique_ptr<ReadScope> snapshot;
  if (reads == Reads::one_snapshot) snapshot = app.backend->read_scope();
  call.caller = identify_caller(app, req, call.now);
  const bool needs_session = access == Access::session || access == Access::session_and_csrf;
  if (needs_session && !call.caller) {
    send_error(res, 401, "unauthenticated", "Sign in first.");
    return;
  }
  const bool needs_csrf = access == Access::session_and_csrf ||
                          (access == Access::csrf_if_session && call.caller);
  if (needs_csrf) {
    const auto presented = req.has_header("X-CSRF-Token")
                               ? std::optional<std::string>(req.get_header_value("X-CSRF-Token"))
                               : std::nullopt;
    const auto failure = check_csrf_token(csrf_token_for(call.caller->session.token), presented);
    if (failure != CsrfFailure::none) {
      send_error(res, 403, "csrf", describe(failure));
      return;
    }
  }
  handler(call);
}

}  // namespace

httplib::Server::Handler api_route(App& app, Access access, CallHandler handler, Reads reads) {
  return [&app, access, reads, handler = std::move(handler)](const httplib::Request& req,
                                                             httplib::Response& res) {
    // A refusal decided from the request's head, answered now that its
    // body has been read (framing.hpp).
    if (const auto refusal = take_deferred_refusal()) {
      send_error(res, refusal->status, refusal->code, refusal->message);
      return;
    }
    try {
      app.backend->translate_errors([&] { handle_call(app, access, reads, handler, req, res); });
    } catch (const ClientError& e) {
      send_error(res, e.status, e.code, e.what());
    } catch (const StoreBusy& e) {
      // The detail goes to the log, never to the client.
      std::cerr << "stork: store busy on " << req.method << " " << req.path << ": " << e.what()
                << "\n";
      res.set_header("Retry-After", "1");
      send_error(res, 503, "busy", "The server is busy; try again.");
    } catch (const StoreError& e) {
      std::cerr << "stork: store error on " << req.method << " " << req.path << ": " << e.what()
                << "\n";
      send_error(res, 500, "internal", "Something went wrong on our side.");
    }
  };
}

ClientContext client_context(const App& app, const httplib::Request& req) {
  ClientContext client{client_address(app, req), {}};
  if (req.has_header("Cookie")) {
    const auto values = cookie_values(parse_cookie_header(req.get_header_value("Cookie")), kDeviceCookie);
    if (!values.empty()) client.device_token = values.front();
  }
  return client;
}

void set_device_cookie(const httplib::Request& req, httplib::Response& res,
                       const std::string& device_token) {
  if (device_token.empty()) return;
  const bool none = supports_same_site_none(req.get_header_value("User-Agent"));
  res.set_header("Set-Cookie", device_cookie(device_token, none));
}

}  // namespace stork
