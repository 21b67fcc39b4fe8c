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
      app.logins.attempt(request.username, request.password, client_context(app, call.req), call.now);
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
  // A cookieless sign-in sets no cookie at all (its client keeps none).
  if (!request.cookieless) set_device_cookie(call.req, call.res, result.new_device_token);
  respond_signed_in(call, *result.user,
                    {request.remember, request.cookieless, request.publisher, request.top_origin});
}

void logout(Call& call) {
  // Every session the request presents ends (both cookies and a bearer
  // token may name different ones), not only the one that was resolved.
  call.app.services.sign_ins.sign_out(presented_tokens(call.req));
  clear_session_cookies(call.req, call.res);
  call.res.set_header("Clear-Site-Data", "\"cookies\"");
  call.res.status = 204;
}

void logout_all(Call& call) {
  call.app.services.sign_ins.sign_out_everywhere(call.who().user.id);
  clear_session_cookies(call.req, call.res);
  call.res.set_header("Clear-Site-Data", "\"cookies\"");
  call.res.status = 204;
}

void me(Call& call) {
  const Caller& who = call.who();
  const Session& s = who.session.session;
  nlohmann::json body = {{"user", user_json(who.user)},
                         {"csrf", csrf_token_for(who.session.token)},
                         {"session",
                          {{"id", s.public_id},
                           {"created_at", s.created_at},
                           {"expires_at", call.app.sessions.policy().expires_at(s)},
                           {"via", via_name(who.via)},
                           {"publisher", s.publisher},
                           {"top_site", s.top_site}}}};
  // An account a publisher vouches for says which ("Signed in through ...").
  if (const auto publisher = call.app.services.identity.asserted_by(who.user.id)) {
    body["asserted_by"] = asserted_by_json(call.app, *publisher);
  }
  send_json(call.res, 200, body);
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
  if (!call.app.services.sign_ins.end_session(call.who().user.id, id)) {
    send_error(call.res, 404, "not_found", "No such session.");
    return;
  }
  if (id == call.who().session.session.public_id) clear_session_cookies(call.req, call.res);
  call.res.status = 204;
}

void change_password(Call& call) {
  App& app = call.app;
  const PasswordChangeRequest request = decode_password_change(call.req.body);
  const Caller& who = call.who();
  const PasswordChangeResult result = app.services.accounts.change_password(
      who.user, who.session, request.old_password, request.new_password,
      client_context(app, call.req), call.now);
  switch (result.check) {
    case PasswordCheck::throttled:
      call.res.set_header("Retry-After", std::to_string(result.retry_after_seconds));
      throw ClientError(429, "too_many_attempts", "Too many attempts. Try again later.");
    case PasswordCheck::busy:
      call.res.set_header("Retry-After", std::to_string(result.retry_after_seconds));
      throw ClientError(503, "busy", "Too many sign-ins at once. Try again in a moment.");
    case PasswordCheck::wrong:
      throw ClientError(403, "invalid_credentials", "The current password is wrong.");
    case PasswordCheck::weak_password:
      throw ClientError(422, "weak_password", result.message);
    case PasswordCheck::ok:
      break;
  }
  // Every other device is signed out; this one continues under a new token.
  const StartedSession& rotated = *result.rotated;
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
