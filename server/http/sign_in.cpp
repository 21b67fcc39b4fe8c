#include "http/sign_in.hpp"

#include "publishers/origin.hpp"
#include "sessions/token.hpp"
#include "text/utf8.hpp"

namespace stork {
namespace {

constexpr std::size_t kMaxStoredUserAgentBytes = 512;

// Publisher and top-level site a session is created under, as far as the
// widget told us and the directory confirms.
SessionOrigin session_origin(App& app, const httplib::Request& req, const SignInOptions& options) {
  SessionOrigin origin;
  // Kept and listed later: valid UTF-8, and no longer than a real one.
  origin.user_agent = to_valid_utf8(req.get_header_value("User-Agent").substr(0, kMaxStoredUserAgentBytes));
  if (!options.publisher.empty() && app.publishers.contains(options.publisher)) {
    origin.publisher = options.publisher;
  }
  if (const auto top = normalize_origin(options.top_origin)) origin.top_site = site_of(*top);
  return origin;
}

}  // namespace

nlohmann::json user_json(const User& u) {
  return {{"username", u.username}, {"first", u.first}, {"last", u.last}};
}

nlohmann::json asserted_by_json(const App& app, const std::string& publisher) {
  const auto found = app.publishers.find(publisher);
  return {{"publisher", publisher}, {"name", found ? found->display_name : publisher}};
}

void respond_signed_in(Call& call, const User& user, const SignInOptions& options, int status) {
  App& app = call.app;
  SignInRequest request;
  request.remember = options.remember;
  request.kept = options.cookieless && options.remember;
  request.origin = session_origin(app, call.req, options);
  request.presented_tokens = presented_tokens(call.req);
  const auto signed_in = app.services.sign_ins.sign_in(user, request, call.now);
  if (!signed_in) {
    send_error(call.res, 401, "invalid_credentials", "Wrong username or password.");
    return;
  }
  const StartedSession& started = signed_in->session;
  nlohmann::json body = {{"user", user_json(user)}, {"csrf", csrf_token_for(started.token)}};
  if (request.kept) {
    // No cookie: its token is a short-lived access token, and the client
    // asked for this because cookies do not come back here anyway.
    body["token"] = started.token;
    body["refresh"] = signed_in->refresh;
    body["expires_in"] = started.session.token_expires_at - call.now;
  } else {
    set_session_cookies(app, call.req, call.res, started.token, options.remember);
    if (options.cookieless) body["token"] = started.token;
  }
  send_json(call.res, status, body);
}

}  // namespace stork
