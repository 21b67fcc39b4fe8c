#pragma once
// What every handler gets and the one wrapper that all API routes go
// through: who is calling (session from cookie or bearer token), the CSRF
// token check, and the error policy of api_types.hpp.

#include "http/api_types.hpp"
#include "app.hpp"

#include <httplib.h>

#include <functional>
#include <optional>
#include <string>

namespace stork {

enum class Via { cookie, partitioned_cookie, token };
std::string_view via_name(Via via);

struct Caller {
  ResolvedSession session;
  User user;
  Via via;
};

// The live session a request carries: Authorization: Bearer first, then
// stork_sid, then __Host-stork_psid. An unknown, expired or malformed
// token is simply no session.
std::optional<Caller> identify_caller(App& app, const httplib::Request& req, UnixSeconds now);

// Every token value the request presents, for ending them on login/logout.
std::vector<std::string> presented_tokens(const httplib::Request& req);

// Client address: the socket's, unless it is the trusted proxy.
std::string client_address(const App& app, const httplib::Request& req);
// The client address and the stork_device cookie, for the guess limits.
ClientContext client_context(const App& app, const httplib::Request& req);
// Sets the stork_device cookie when a sign-in issued a device token.
void set_device_cookie(const httplib::Request& req, httplib::Response& res,
                       const std::string& device_token);

struct Call {
  App& app;
  const httplib::Request& req;
  httplib::Response& res;
  UnixSeconds now;
  std::optional<Caller> caller;  // set for routes that need a session

  const Caller& who() const { return *caller; }
};

enum class Access {
  anyone,            // caller resolved if present
  session,           // 401 without a live session
  session_and_csrf,  // and 403 without the session's X-CSRF-Token
  csrf_if_session,   // anyone, but a caller with a session must show its token
};

using CallHandler = std::function<void(Call&)>;

// Wraps a handler with the access check and the error policy.
// one_snapshot: the caller's session and user and everything the handler
// reads come from one read transaction (one consistent view, one WAL read
// lock per request instead of one per statement). Only for handlers that
// do not write; a session touch on the way ends the snapshot first.
enum class Reads { separately, one_snapshot };

httplib::Server::Handler api_route(App& app, Access access, CallHandler handler,
                                   Reads reads = Reads::separately);

// Serialize JSON that may hold client-provided text (invalid UTF-8 is
// replaced, never thrown on).
std::string json_text(const nlohmann::json& j);
void send_json(httplib::Response& res, int status, const nlohmann::json& body);
void send_json_text(httplib::Response& res, int status, std::string body);
void send_error(httplib::Response& res, int status, std::string_view code,
                std::string_view message);

// Sets both session cookies (or clears them with an empty token).
void set_session_cookies(const App& app, const httplib::Request& req, httplib::Response& res,
                         const std::string& token, bool remember);
void clear_session_cookies(const httplib::Request& req, httplib::Response& res);

}  // namespace stork
