// POST /api/token: trades a refresh token kept in the frame's storage for
// a new access token and refresh token (sessions/refresh_tokens.hpp).

#include "http/routes.hpp"

#include "http/routing.hpp"
#include "http/sign_in.hpp"
#include "sessions/token.hpp"

namespace stork {
namespace {

std::string decode_refresh(std::string_view body) {
  const nlohmann::json j = parse_json_object(body);
  const auto found = j.find("refresh");
  if (found == j.end() || !found->is_string()) {
    throw ClientError(400, "bad_request", "Send {\"refresh\": \"...\"}.");
  }
  return found->get<std::string>();
}

void refresh(Call& call) {
  App& app = call.app;
  const std::string presented = decode_refresh(call.req.body);
  const RefreshResult result = app.services.refresh_tokens.refresh(presented, call.now);
  switch (result.outcome) {
    case RefreshOutcome::invalid:
      throw ClientError(401, "invalid_refresh", "This sign-in is no longer valid. Please sign in again.");
    case RefreshOutcome::reused:
      throw ClientError(401, "refresh_reused",
                        "This sign-in was used from somewhere else and has been ended. Please sign in again.");
    case RefreshOutcome::ended:
      throw ClientError(401, "session_ended", "Your Stork session has ended. Please sign in again.");
    case RefreshOutcome::ok:
      break;
  }
  const KeptSignIn& kept = *result.kept;
  const auto user = app.accounts.find(kept.session.session.user_id);
  if (!user || user->disabled) {
    app.sessions.end(kept.session.token);
    app.services.refresh_tokens.forget(kept.session.session.public_id);
    throw ClientError(401, "session_ended", "Your Stork session has ended. Please sign in again.");
  }
  send_json(call.res, 200,
            {{"token", kept.session.token},
             {"refresh", kept.refresh},
             {"csrf", csrf_token_for(kept.session.token)},
             {"expires_in", kept.session.session.token_expires_at - call.now},
             {"user", user_json(*user)}});
}

}  // namespace

void register_token_routes(httplib::Server& server, App& app) {
  server.Post("/api/token", api_route(app, Access::anyone, refresh));
}

}  // namespace stork
