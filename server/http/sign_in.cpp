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

void respond_signed_in(Call& call, const User& user, const SignInOptions& options, int status) {
  App& app = call.app;
  // Whatever session the client came with ends here: a sign-in never
  // adopts a token it did not issue in this response (session fixation).
  for (const std::string& token : presented_tokens(call.req)) app.sessions.end(token);
  const SessionOrigin origin = session_origin(app, call.req, options);
  nlohmann::json body = {{"user", user_json(user)}};
  if (options.cookieless && options.remember) {
    // No cookie: its token would be a short-lived access token, and the
    // client asked for this because cookies do not come back here anyway.
    const KeptSignIn kept = app.refresh_tokens.start(user.id, origin, call.now);
    body["csrf"] = csrf_token_for(kept.session.token);
    body["token"] = kept.session.token;
    body["refresh"] = kept.refresh;
    body["expires_in"] = kept.session.session.token_expires_at - call.now;
  } else {
    const StartedSession started = app.sessions.start(user.id, options.remember, origin, call.now);
    set_session_cookies(app, call.req, call.res, started.token, options.remember);
    body["csrf"] = csrf_token_for(started.token);
    if (options.cookieless) body["token"] = started.token;
  }
  send_json(call.res, status, body);
}

}  // namespace stork
