#pragma once
// The two session cookies of the contract, byte for byte, and the parsing
// of a request's Cookie header.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stork {

inline constexpr std::string_view kSessionCookie = "stork_sid";
inline constexpr std::string_view kPartitionedCookie = "__Host-stork_psid";
// OWASP device cookie: set at a successful sign-in, it exempts this
// browser from lockouts that other clients caused (accounts/login_throttle.hpp).
inline constexpr std::string_view kDeviceCookie = "stork_device";
inline constexpr std::int64_t kDeviceCookieSeconds = 365 * 24 * 3600;

// Cookie-header limits: a request over them is treated as carrying no
// session rather than parsed at length.
inline constexpr std::size_t kMaxCookies = 50;

struct CookieAttributes {
  std::optional<std::int64_t> max_age;  // none: a session cookie
  bool same_site_none = true;           // false for clients that mishandle it
};

// `stork_sid=<token>; Path=/; Secure; HttpOnly; SameSite=None[; Max-Age=N]`
std::string session_cookie(std::string_view token, const CookieAttributes& attrs);
// `__Host-stork_psid=<token>; Path=/; Secure; HttpOnly; SameSite=None; Partitioned[; Max-Age=N]`
std::string partitioned_cookie(std::string_view token, const CookieAttributes& attrs);
// `stork_device=<token>; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=31536000`
std::string device_cookie(std::string_view token, bool same_site_none = true);
// The same cookies with an empty value and Max-Age=0: a cookie is only
// replaced (and so cleared) when name and attributes match.
std::string expired_session_cookie(bool same_site_none);
std::string expired_partitioned_cookie(bool same_site_none);

// Generic builder used by the cookie check as well.
std::string build_set_cookie(std::string_view name, std::string_view value,
                             const CookieAttributes& attrs, bool partitioned);

using CookieList = std::vector<std::pair<std::string, std::string>>;

// Parses `a=1; b=2`. Pairs without '=' are skipped; at most kMaxCookies
// pairs are returned. Duplicate names are kept in order.
CookieList parse_cookie_header(std::string_view header);

// Values of one cookie name, in order of appearance.
std::vector<std::string> cookie_values(const CookieList& cookies, std::string_view name);

// User agents longer than this are taken for modern clients unread.
inline constexpr std::size_t kMaxSniffedUserAgentBytes = 512;

// Whether a client can be sent SameSite=None (same_site_compat.cpp; linear
// in the length of the user agent). Some clients treat None as
// Strict or reject the cookie (Chrome 51-66, UC Browser before 12.13.2,
// Safari on iOS 12 and macOS 10.14); they get no SameSite attribute (and
// so no Partitioned either: see build_set_cookie).
bool supports_same_site_none(std::string_view user_agent);

}  // namespace stork
