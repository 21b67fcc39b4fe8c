#include "http/csrf.hpp"

#include "sessions/token.hpp"

namespace stork {

bool is_safe_method(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

CsrfFailure check_request_origin(std::string_view method, std::optional<std::string_view> origin,
                                 std::optional<std::string_view> sec_fetch_site,
                                 std::string_view widget_origin) {
  if (is_safe_method(method)) return CsrfFailure::none;
  if (!origin || origin->empty() || *origin == "null") return CsrfFailure::missing_origin;
  if (*origin != widget_origin) return CsrfFailure::foreign_origin;
  if (sec_fetch_site && *sec_fetch_site != "same-origin") return CsrfFailure::cross_site_fetch;
  return CsrfFailure::none;
}

CsrfFailure check_csrf_token(std::string_view expected, std::optional<std::string_view> presented) {
  if (!presented || presented->empty()) return CsrfFailure::missing_token;
  return constant_time_equals(expected, *presented) ? CsrfFailure::none : CsrfFailure::wrong_token;
}

std::string_view describe(CsrfFailure failure) {
  switch (failure) {
    case CsrfFailure::none: return "ok";
    case CsrfFailure::missing_origin: return "State changes need an Origin header.";
    case CsrfFailure::foreign_origin: return "State changes are accepted only from the widget's own origin.";
    case CsrfFailure::cross_site_fetch: return "State changes are accepted only from same-origin requests.";
    case CsrfFailure::missing_token: return "The X-CSRF-Token header is missing.";
    case CsrfFailure::wrong_token: return "The X-CSRF-Token header does not match this session.";
  }
  return "csrf";
}

}  // namespace stork
