#pragma once
// The contract's CSRF rule, as pure functions of what a request carries.
// State changes come only from the widget's own pages: every non-GET must
// come with Origin equal to the widget origin and, where the browser sends
// it, Sec-Fetch-Site: same-origin; every non-GET but login also carries the
// session's CSRF token.

#include <optional>
#include <string_view>

namespace stork {

enum class CsrfFailure {
  none,
  missing_origin,     // no Origin header (or "null")
  foreign_origin,     // an Origin other than the widget's
  cross_site_fetch,   // Sec-Fetch-Site says the request is not same-origin
  missing_token,
  wrong_token,
};

bool is_safe_method(std::string_view method);

CsrfFailure check_request_origin(std::string_view method, std::optional<std::string_view> origin,
                                 std::optional<std::string_view> sec_fetch_site,
                                 std::string_view widget_origin);

CsrfFailure check_csrf_token(std::string_view expected, std::optional<std::string_view> presented);

std::string_view describe(CsrfFailure failure);

}  // namespace stork
