#include "sessions/cookies.hpp"

namespace stork {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string build_set_cookie(std::string_view name, std::string_view value,
                             const CookieAttributes& attrs, bool partitioned) {
  std::string out;
  out.reserve(160);
  out.append(name).append("=").append(value).append("; Path=/; Secure; HttpOnly");
  if (attrs.same_site_none) out.append("; SameSite=None");
  // Partitioned only alongside SameSite=None, as CHIPS first required: the
  // clients that must not see SameSite=None all predate CHIPS anyway.
  if (partitioned && attrs.same_site_none) out.append("; Partitioned");
  if (attrs.max_age) out.append("; Max-Age=").append(std::to_string(*attrs.max_age));
  return out;
}

std::string session_cookie(std::string_view token, const CookieAttributes& attrs) {
  return build_set_cookie(kSessionCookie, token, attrs, false);
}

std::string partitioned_cookie(std::string_view token, const CookieAttributes& attrs) {
  return build_set_cookie(kPartitionedCookie, token, attrs, true);
}

std::string device_cookie(std::string_view token, bool same_site_none) {
  return build_set_cookie(kDeviceCookie, token, {kDeviceCookieSeconds, same_site_none}, false);
}

std::string expired_session_cookie(bool same_site_none) {
  return build_set_cookie(kSessionCookie, "", {0, same_site_none}, false);
}

std::string expired_partitioned_cookie(bool same_site_none) {
  return build_set_cookie(kPartitionedCookie, "", {0, same_site_none}, true);
}

CookieList parse_cookie_header(std::string_view header) {
  CookieList out;
  while (!header.empty() && out.size() < kMaxCookies) {
    const std::size_t end = header.find(';');
    const std::string_view pair = trim(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string_view value = trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    out.emplace_back(std::string(trim(pair.substr(0, eq))), std::string(value));
  }
  return out;
}

std::vector<std::string> cookie_values(const CookieList& cookies, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : cookies) {
    if (n == name) out.push_back(v);
  }
  return out;
}

}  // namespace stork
