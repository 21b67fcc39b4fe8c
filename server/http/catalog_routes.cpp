#include "http/routes.hpp"

#include "catalog/product_view.hpp"
#include "http/routing.hpp"
#include "sessions/cookies.hpp"

namespace stork {
namespace {

std::int64_t product_id_from_path(const Call& call) {
  const auto id = parse_id(call.req.matches[1].str());
  if (!id) throw ClientError(404, "not_found", "No such product.");
  return *id;
}

void send_product(Call& call, std::int64_t id) {
  const std::optional<std::int64_t> user_id =
      call.caller ? std::optional<std::int64_t>(call.caller->user.id) : std::nullopt;
  const auto viewed = call.app.catalog.viewed_product(id, user_id);
  if (!viewed) throw ClientError(404, "not_found", "No such product.");
  std::optional<Viewer> viewer;
  if (call.caller) viewer.emplace(Viewer{call.caller->user, viewed->viewer});
  send_json_text(call.res, 200, product_body(viewed->product, viewer));
}

void get_product(Call& call) { send_product(call, product_id_from_path(call)); }

void put_rating(Call& call) {
  const std::int64_t id = product_id_from_path(call);
  const RatingRequest request = decode_rating(call.req.body);
  if (!call.app.catalog.rate(call.who().user.id, id, request.stars, call.now)) {
    throw ClientError(404, "not_found", "No such product.");
  }
  send_product(call, id);
}

void set_wishlist(Call& call, bool on) {
  const std::int64_t id = product_id_from_path(call);
  if (!call.app.catalog.set_wishlisted(call.who().user.id, id, on, call.now)) {
    throw ClientError(404, "not_found", "No such product.");
  }
  send_product(call, id);
}

// The detection technique: set two throw-away cookies from inside the
// frame, then see which of them come back on the next request.
void cookie_check(Call& call) {
  const std::string step = call.req.get_param_value("step");
  if (step == "set") {
    const CookieAttributes attrs{std::int64_t{60},
                                 supports_same_site_none(call.req.get_header_value("User-Agent"))};
    call.res.set_header("Set-Cookie", build_set_cookie("stork_probe", "1", attrs, false));
    call.res.set_header("Set-Cookie", build_set_cookie("__Host-stork_pprobe", "1", attrs, true));
    send_json(call.res, 200, {{"step", "set"}});
    return;
  }
  if (step == "read") {
    const CookieList cookies = parse_cookie_header(call.req.get_header_value("Cookie"));
    send_json(call.res, 200,
              {{"unpartitioned", !cookie_values(cookies, "stork_probe").empty()},
               {"partitioned", !cookie_values(cookies, "__Host-stork_pprobe").empty()}});
    return;
  }
  throw ClientError(400, "bad_request", "Use ?step=set, then ?step=read.");
}

}  // namespace

void register_catalog_routes(httplib::Server& server, App& app) {
  server.Get(R"(/products/([^/]+)\.json)",
             api_route(app, Access::anyone, get_product, Reads::one_snapshot));
  server.Put(R"(/api/products/([^/]+)/rating)",
             api_route(app, Access::session_and_csrf, put_rating));
  server.Put(R"(/api/products/([^/]+)/wishlist)",
             api_route(app, Access::session_and_csrf, [](Call& c) { set_wishlist(c, true); }));
  server.Delete(R"(/api/products/([^/]+)/wishlist)",
                api_route(app, Access::session_and_csrf, [](Call& c) { set_wishlist(c, false); }));
  server.Get("/api/cookie-check", api_route(app, Access::anyone, cookie_check));
}

}  // namespace stork
