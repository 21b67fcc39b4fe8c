#include "http/routes.hpp"

#include "http/routing.hpp"
#include "http/sign_in.hpp"
#include "publishers/origin.hpp"
#include "sessions/token.hpp"

namespace stork {
namespace {

void login(Call& call) {
  App& app = call.app;
  const LoginRequest request = decode_login(call.req.body);
  const LoginResult result =
      app.logins.attempt(request.username, request.password, client_address(app, call.req), call.now);
  switch (result.outcome) {
    case LoginOutcome::throttled:
      app.metrics.record_login(LoginCounter::throttled);
      call.res.set_header("Retry-After", std::to_string(result.retry_after_seconds));
      send_error(call.res, 429, "too_many_attempts", "Too many attempts. Try again later.");
      return;
    case LoginOutcome::busy:
      app.metrics.record_login(LoginCounter::busy);
      call.res.set_header("Retry-After", std::to_string(result.retry_after_seconds));
      send_error(call.res, 503, "busy", "Too many sign-ins at once. Try again in a moment.");
      return;
    case LoginOutcome::invalid_credentials:
      app.metrics.record_login(LoginCounter::failed);
      send_error(call.res, 401, "invalid_credentials", "Wrong username or password.");
      return;
    case LoginOutcome::ok:
      break;
  }
  app.metrics.record_login(LoginCounter::ok);
  respond_signed_in(call, *result.user,
                    {request.remember, request.cookieless, request.publisher, request.top_origin});
}

void logout(Call& call) {
  // Every session the request presents ends (both cookies and a bearer
  // token may name different ones), not only the one that was resolved,
  // and so does any refresh token kept for them.
  for (const std::string& token : presented_tokens(call.req)) {
    if (const auto session = call.app.session_store.find(hash_token(token))) {
      call.app.refresh_tokens.forget(session->public_id);
    }
    call.app.sessions.end(token);
  }
  clear_session_cookies(call.req, call.res);
  call.res.set_header("Clear-Site-Data", "\"cookies\"");
  call.res.status = 204;
}

void logout_all(Call& call) {
  call.app.session_store.remove_all_of_user(call.who().user.id, {});
  call.app.refresh_tokens.forget_all_of_user(call.who().user.id);
  clear_session_cookies(call.req, call.res);
  call.res.set_header("Clear-Site-Data", "\"cookies\"");
  call.res.status = 204;
}

void me(Call& call) {
  const Caller& who = call.who();
  const Session& s = who.session.session;
  send_json(call.res, 200,
            {{"user", user_json(who.user)},
             {"csrf", csrf_token_for(who.session.token)},
             {"session",
              {{"id", s.public_id},
               {"created_at", s.created_at},
               {"expires_at", call.app.sessions.policy().expires_at(s)},
               {"via", via_name(who.via)},
               {"publisher", s.publisher},
               {"top_site", s.top_site}}}});
}

void list_sessions(Call& call) {
  const Caller& who = call.who();
  nlohmann::json list = nlohmann::json::array();
  const SessionPolicy& policy = call.app.sessions.policy();
  for (const Session& s : call.app.session_store.list_of_user(who.user.id)) {
    if (!policy.is_live(s, call.now)) continue;
    list.push_back({{"id", s.public_id},
                    {"created_at", s.created_at},
                    {"last_seen_at", s.last_seen_at},
                    {"expires_at", policy.expires_at(s)},
                    {"user_agent", s.user_agent},
                    {"publisher", s.publisher},
                    {"top_site", s.top_site},
                    {"current", s.public_id == who.session.session.public_id}});
  }
  send_json(call.res, 200, {{"sessions", list}});
}

void end_session(Call& call) {
  const std::string id = call.req.matches[1];
  if (!call.app.session_store.remove_by_public_id(call.who().user.id, id)) {
    send_error(call.res, 404, "not_found", "No such session.");
    return;
  }
  call.app.refresh_tokens.forget(id);
  if (id == call.who().session.session.public_id) clear_session_cookies(call.req, call.res);
  call.res.status = 204;
}

void change_password(Call& call) {
  App& app = call.app;
  const PasswordChangeRequest request = decode_password_change(call.req.body);
  const Caller& who = call.who();
  // The current password is a secret a stolen session must not be able to
  // guess at leisure: the same back-off as sign-in applies.
  const std::string address = client_address(app, call.req);
  if (const auto wait = app.throttle.wait_seconds(who.user.username, address, call.now); wait > 0) {
    call.res.set_header("Retry-After", std::to_string(wait));
    throw ClientError(429, "too_many_attempts", "Too many attempts. Try again later.");
  }
  const auto verified = app.logins.verify(who.user.id, request.old_password);
  if (!verified) throw ClientError(503, "busy", "Too many sign-ins at once. Try again in a moment.");
  if (!*verified) {
    app.throttle.record_failure(who.user.username, address, call.now);
    throw ClientError(403, "invalid_credentials", "The current password is wrong.");
  }
  if (const auto why = password_policy_violation(request.new_password, who.user.username);
      !why.empty()) {
    throw ClientError(422, "weak_password", why);
  }
  const auto hash = app.logins.hash(request.new_password);
  if (!hash) throw ClientError(503, "busy", "Too many sign-ins at once. Try again in a moment.");
  app.accounts.set_password_hash(who.user.id, *hash);
  // Every other device is signed out; this one continues under a new token.
  app.session_store.remove_all_of_user(who.user.id, who.session.token_hash);
  const StartedSession rotated = app.sessions.rotate(who.session, call.now);
  nlohmann::json body = {{"csrf", csrf_token_for(rotated.token)}};
  if (who.via == Via::token) {
    body["token"] = rotated.token;
  } else {
    set_session_cookies(app, call.req, call.res, rotated.token, rotated.session.remember);
  }
  send_json(call.res, 200, body);
}

}  // namespace

void register_auth_routes(httplib::Server& server, App& app) {
  server.Post("/api/login", api_route(app, Access::anyone, login));
  server.Post("/api/logout", api_route(app, Access::csrf_if_session, logout));
  server.Post("/api/logout-all", api_route(app, Access::session_and_csrf, logout_all));
  server.Get("/api/me", api_route(app, Access::session, me));
  server.Get("/api/sessions", api_route(app, Access::session, list_sessions));
  server.Delete(R"(/api/sessions/([0-9a-f]{32}))",
                api_route(app, Access::session_and_csrf, end_session));
  server.Put("/api/password", api_route(app, Access::session_and_csrf, change_password));
}

}  // namespace stork
