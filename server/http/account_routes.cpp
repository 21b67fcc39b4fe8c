// Sign-up, the visitor's own account (export, delete) and password reset
// links. Handlers decode, call the use case, encode.

#include "http/routes.hpp"

#include "http/routing.hpp"
#include "http/sign_in.hpp"

namespace stork {
namespace {

void retry_after(Call& call, std::int64_t seconds) {
  call.res.set_header("Retry-After", std::to_string(seconds));
}

void signup(Call& call) {
  App& app = call.app;
  const SignupRequest request = decode_signup(call.req.body);
  const SignupResult result = app.services.signups.sign_up(
      {request.login.username, request.login.password, request.first, request.last},
      client_address(app, call.req), call.now);
  switch (result.outcome) {
    case SignupOutcome::throttled:
      retry_after(call, result.retry_after_seconds);
      send_error(call.res, 429, "too_many_attempts",
                 "Too many sign-ups from your network. Try again later.");
      return;
    case SignupOutcome::busy:
      retry_after(call, result.retry_after_seconds);
      send_error(call.res, 503, "busy", "Too many sign-ins at once. Try again in a moment.");
      return;
    case SignupOutcome::invalid_field:
      send_json(call.res, 400,
                {{"error", "invalid_field"}, {"field", result.field}, {"message", result.message}});
      return;
    case SignupOutcome::username_taken:
      send_error(call.res, 409, "username_taken",
                 "This username is taken. Please choose another.");
      return;
    case SignupOutcome::created:
      break;
  }
  const LoginRequest& l = request.login;
  respond_signed_in(call, *result.user, {l.remember, l.cookieless, l.publisher, l.top_origin}, 201);
}

void delete_account(Call& call) {
  App& app = call.app;
  const std::string password = decode_password_confirmation(call.req.body);
  const DeleteResult result = app.services.accounts.delete_account(
      call.who().user, password, client_context(app, call.req), call.now);
  switch (result.check) {
    case PasswordCheck::throttled:
      retry_after(call, result.retry_after_seconds);
      send_error(call.res, 429, "too_many_attempts", "Too many attempts. Try again later.");
      return;
    case PasswordCheck::busy:
      retry_after(call, result.retry_after_seconds);
      send_error(call.res, 503, "busy", "Too many sign-ins at once. Try again in a moment.");
      return;
    case PasswordCheck::wrong:
    case PasswordCheck::weak_password:  // not a result of deleting
      send_error(call.res, 403, "invalid_credentials", "The password is wrong.");
      return;
    case PasswordCheck::ok:
      break;
  }
  clear_session_cookies(call.req, call.res);
  call.res.set_header("Clear-Site-Data", "\"cookies\"");
  call.res.status = 204;
}

nlohmann::json session_json(const Session& s, const SessionPolicy& policy, const Caller& who) {
  return {{"id", s.public_id},
          {"created_at", s.created_at},
          {"last_seen_at", s.last_seen_at},
          {"expires_at", policy.expires_at(s)},
          {"user_agent", s.user_agent},
          {"publisher", s.publisher},
          {"top_site", s.top_site},
          {"current", s.public_id == who.session.session.public_id}};
}

void export_account(Call& call) {
  const Caller& who = call.who();
  const auto exported = call.app.services.accounts.export_account(who.user.id, call.now);
  if (!exported) throw ClientError(404, "not_found", "No such account.");
  const PersonalData& d = exported->data;
  nlohmann::json sessions = nlohmann::json::array(), ratings = nlohmann::json::array(),
                 wishlist = nlohmann::json::array();
  for (const Session& s : exported->sessions) {
    sessions.push_back(session_json(s, call.app.sessions.policy(), who));
  }
  for (const ExportedRating& r : d.ratings) {
    ratings.push_back({{"product", {{"id", r.product_id}, {"name", r.product_name}}},
                       {"stars", r.stars},
                       {"updated_at", r.updated_at}});
  }
  for (const ExportedWish& w : d.wishlist) {
    wishlist.push_back(
        {{"product", {{"id", w.product_id}, {"name", w.product_name}}}, {"added_at", w.added_at}});
  }
  call.res.set_header("Content-Disposition",
                      "attachment; filename=\"stork-account-" + d.username + ".json\"");
  send_json(call.res, 200,
            {{"exported_at", call.now},
             {"profile",
              {{"username", d.username},
               {"first", d.first},
               {"last", d.last},
               {"created_at", d.created_at}}},
             {"sessions", sessions},
             {"ratings", ratings},
             {"wishlist", wishlist}});
}

[[noreturn]] void invalid_link() {
  throw ClientError(404, "invalid_link",
                    "This link does not work any more: it was used, replaced by a newer one, or "
                    "is older than 30 minutes. Ask for a new one.");
}

void check_reset_link(Call& call) {
  const PasswordResetRequest request = decode_password_reset(call.req.body, false);
  const auto user = call.app.services.password_reset.user_of(request.token, call.now);
  if (!user) invalid_link();
  send_json(call.res, 200, {{"user", {{"username", user->username}, {"first", user->first}}}});
}

void reset_password(Call& call) {
  const PasswordResetRequest request = decode_password_reset(call.req.body, true);
  const ResetResult result = call.app.services.password_reset.reset(request.token, request.password, call.now);
  switch (result.outcome) {
    case ResetOutcome::invalid_link: invalid_link();
    case ResetOutcome::weak_password:
      send_json(call.res, 400,
                {{"error", "invalid_field"}, {"field", "password"}, {"message", result.message}});
      return;
    case ResetOutcome::busy:
      retry_after(call, 1);
      send_error(call.res, 503, "busy", "Too many sign-ins at once. Try again in a moment.");
      return;
    case ResetOutcome::done:
      break;
  }
  // Every session of the account ended, this browser's too.
  clear_session_cookies(call.req, call.res);
  call.res.status = 204;
}

}  // namespace

void register_account_routes(httplib::Server& server, App& app) {
  server.Post("/api/signup", api_route(app, Access::anyone, signup));
  server.Delete("/api/account", api_route(app, Access::session_and_csrf, delete_account));
  server.Get("/api/account/export", api_route(app, Access::session, export_account));
  server.Post("/api/password-reset/check", api_route(app, Access::anyone, check_reset_link));
  server.Post("/api/password-reset", api_route(app, Access::anyone, reset_password));
}

}  // namespace stork
