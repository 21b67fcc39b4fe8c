#include "sessions/cookies.hpp"

#include <regex>

namespace stork {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Digits from a UA regex match; absurdly long numbers count as very large.
int version_number(const std::string& digits) {
  if (digits.size() > 6) return 999999;
  return std::stoi(digits);
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

bool supports_same_site_none(std::string_view user_agent) {
  // The published list of incompatible clients (Chromium's "SameSite=None:
  // known incompatible clients"), as regular expressions on the UA string.
  static const std::regex ios12(R"(\(iP.+; CPU .*OS 12[_\d]*.*\) AppleWebKit\/)");
  static const std::regex macos_10_14(R"(\(Macintosh;.*Mac OS X 10_14[_\d]*.*\) AppleWebKit\/)");
  static const std::regex safari(R"(Version\/.* Safari\/)");
  static const std::regex mac_embedded(
      R"(^Mozilla\/[\.\d]+ \(Macintosh;.*Mac OS X [_\d]+\) AppleWebKit\/[\.\d]+ \(KHTML, like Gecko\)$)");
  static const std::regex chromium_based(R"(Chrom(e|ium))");
  static const std::regex chromium_version(R"(Chrom[^ \/]+\/(\d+)[\.\d]* )");
  static const std::regex uc_version(R"(UCBrowser\/(\d+)\.(\d+)\.(\d+)[\.\d]* )");

  if (user_agent.size() > 512) return true;  // not worth a regex; modern default
  const std::string ua(user_agent);
  std::smatch m;

  if (std::regex_search(ua, ios12)) return false;
  const bool is_safari = std::regex_search(ua, safari) && !std::regex_search(ua, chromium_based);
  if (std::regex_search(ua, macos_10_14) && (is_safari || std::regex_search(ua, mac_embedded))) {
    return false;
  }
  if (std::regex_search(ua, m, uc_version)) {
    const int major = version_number(m[1]), minor = version_number(m[2]),
              build = version_number(m[3]);
    const bool at_least_12_13_2 =
        major > 12 || (major == 12 && (minor > 13 || (minor == 13 && build >= 2)));
    return at_least_12_13_2;
  }
  if (std::regex_search(ua, chromium_based) && std::regex_search(ua, m, chromium_version)) {
    const int major = version_number(m[1]);
    if (major >= 51 && major <= 66) return false;
  }
  return true;
}

}  // namespace stork
