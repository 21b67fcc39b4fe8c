#include "http/csrf.hpp"

#include <doctest/doctest.h>

using namespace stork;

namespace {
constexpr std::string_view kWidget = "https://widget.example";
}

TEST_CASE("safe methods need no Origin") {
  for (const char* m : {"GET", "HEAD", "OPTIONS"}) {
    CAPTURE(m);
    CHECK(is_safe_method(m));
    CHECK(check_request_origin(m, std::nullopt, std::nullopt, kWidget) == CsrfFailure::none);
    CHECK(check_request_origin(m, "https://evil.example", "cross-site", kWidget) == CsrfFailure::none);
  }
  CHECK_FALSE(is_safe_method("POST"));
  CHECK_FALSE(is_safe_method("get"));
}

TEST_CASE("state changes need the widget's own Origin") {
  for (const char* m : {"POST", "PUT", "DELETE", "PATCH"}) {
    CAPTURE(m);
    CHECK(check_request_origin(m, std::nullopt, std::nullopt, kWidget) == CsrfFailure::missing_origin);
    CHECK(check_request_origin(m, "", std::nullopt, kWidget) == CsrfFailure::missing_origin);
    CHECK(check_request_origin(m, "null", std::nullopt, kWidget) == CsrfFailure::missing_origin);
    CHECK(check_request_origin(m, "https://evil.example", std::nullopt, kWidget) ==
          CsrfFailure::foreign_origin);
    CHECK(check_request_origin(m, "https://widget.example.evil.example", std::nullopt, kWidget) ==
          CsrfFailure::foreign_origin);
    CHECK(check_request_origin(m, "http://widget.example", std::nullopt, kWidget) ==
          CsrfFailure::foreign_origin);
    CHECK(check_request_origin(m, kWidget, "cross-site", kWidget) == CsrfFailure::cross_site_fetch);
    CHECK(check_request_origin(m, kWidget, "same-site", kWidget) == CsrfFailure::cross_site_fetch);
    CHECK(check_request_origin(m, kWidget, "none", kWidget) == CsrfFailure::cross_site_fetch);
    CHECK(check_request_origin(m, kWidget, "same-origin", kWidget) == CsrfFailure::none);
    CHECK(check_request_origin(m, kWidget, std::nullopt, kWidget) == CsrfFailure::none);
  }
}

TEST_CASE("check_csrf_token") {
  CHECK(check_csrf_token("expected-token", std::nullopt) == CsrfFailure::missing_token);
  CHECK(check_csrf_token("expected-token", "") == CsrfFailure::missing_token);
  CHECK(check_csrf_token("expected-token", "expected-tokeN") == CsrfFailure::wrong_token);
  CHECK(check_csrf_token("expected-token", "expected-token-") == CsrfFailure::wrong_token);
  CHECK(check_csrf_token("expected-token", "expected-token") == CsrfFailure::none);
}

TEST_CASE("every failure has a message") {
  for (const auto f : {CsrfFailure::missing_origin, CsrfFailure::foreign_origin,
                       CsrfFailure::cross_site_fetch, CsrfFailure::missing_token,
                       CsrfFailure::wrong_token}) {
    CHECK(describe(f).size() > 10);
  }
}
