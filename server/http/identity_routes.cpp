// POST /api/identity: a reader whom the publisher vouches for signs in.
// Origin and Sec-Fetch-Site are checked before routing, as for login
// (http/edge.cpp); the answer is the login answer (http/sign_in.hpp).

#include "http/routes.hpp"

#include "http/routing.hpp"
#include "http/sign_in.hpp"

namespace stork {
namespace {

void identity_sign_in(Call& call) {
  App& app = call.app;
  const IdentityRequest request = decode_identity(call.req.body);
  const std::string address = client_address(app, call.req);
  const auto result = app.services.identity.sign_in({request.token, request.page_origin, address}, call.now);
  // A refused token's publisher is not proven; the widget's registered
  // one labels it, so the label set stays the registered publishers.
  const std::string label = app.publishers.contains(request.publisher) ? request.publisher : "";
  if (const auto* throttled = std::get_if<IdentityThrottled>(&result)) {
    app.metrics.record_identity(label, "throttled");
    call.res.set_header("Retry-After", std::to_string(throttled->retry_after_seconds));
    send_error(call.res, 429, "too_many_attempts", "Too many refused identity tokens. Try again later.");
    return;
  }
  if (const auto* refusal = std::get_if<IdentityRefusal>(&result)) {
    app.metrics.record_identity(label, refusal_name(*refusal));
    send_error(call.res, 401, "invalid_identity",
               refusal_message(*refusal, app.services.identity.policy().audience));
    return;
  }
  const auto& signed_in = std::get<AssertedSignIn>(result);
  app.metrics.record_identity(signed_in.publisher, "ok");
  // The session is the token's publisher's, whatever the widget said.
  respond_signed_in(call, signed_in.user,
                    {request.remember, request.cookieless, signed_in.publisher, request.top_origin});
}

}  // namespace

void register_identity_routes(httplib::Server& server, App& app) {
  server.Post("/api/identity", api_route(app, Access::anyone, identity_sign_in));
}

}  // namespace stork
