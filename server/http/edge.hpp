#pragma once
// The HTTP edge: what happens to every request before routing (limits,
// the CSRF origin rule) and to every response after it (security headers,
// CORS, accounting). Closes the gaps of the HTTP library listed in the
// README's operations notes.

#include "app.hpp"

#include <httplib.h>

namespace stork {

inline constexpr std::size_t kMaxHeaders = 64;
inline constexpr std::size_t kMaxCookiePairs = 50;

// Runs before the body is read. Refusals that concern a body the library
// will read are answered by the route wrapper once it is read (framing.hpp).
httplib::Server::HandlerResponse before_routing(App& app, const httplib::Request& req,
                                                httplib::Response& res);
// The paths a registered publisher's page may read cross-origin: the
// product JSON (GET /products/{id}.json), nothing about the visitor.
bool is_cross_origin_readable(const std::string& path);
// Runs on every response, routed or not, just before it is written.
void after_routing(App& app, const httplib::Request& req, httplib::Response& res);
// Gives error responses without a body the JSON error shape.
void fill_error_body(const httplib::Request& req, httplib::Response& res);
// Accounting, once the response is written.
void account(App& app, const httplib::Request& req, const httplib::Response& res);

}  // namespace stork
