// The SameSite=None compatibility check: Chromium's published list of
// clients that mishandle SameSite=None ("SameSite=None: known incompatible
// clients"), written as plain scans of the user agent instead of regular
// expressions. A backtracking regex took 40 ms on a crafted 504-byte UA;
// every scan here visits each byte a bounded number of times.

#include "sessions/cookies.hpp"

#include <optional>
#include <string_view>

namespace stork {
namespace {

constexpr std::size_t npos = std::string_view::npos;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Where a run of characters accepted by `in_class` that starts at `at` ends.
template <typename Pred>
std::size_t run_end(std::string_view s, std::size_t at, Pred in_class) {
  while (at < s.size() && in_class(s[at])) ++at;
  return at;
}

// Whether the literals occur in this order without overlapping: the
// regex `l0.*l1.*l2...` (no newlines in a header value). Taking the
// earliest occurrence of each is never worse, so one pass suffices.
bool in_order(std::string_view s, std::initializer_list<std::string_view> literals,
              std::size_t from = 0) {
  for (const std::string_view literal : literals) {
    const std::size_t at = s.find(literal, from);
    if (at == npos) return false;
    from = at + literal.size();
  }
  return true;
}

// Digits as a number; absurdly long numbers count as very large.
int version_number(std::string_view digits) {
  if (digits.size() > 6) return 999999;
  int n = 0;
  for (const char c : digits) n = n * 10 + (c - '0');
  return n;
}

// \(iP.+; CPU .*OS 12[_\d]*.*\) AppleWebKit\/
bool is_ios_12(std::string_view ua) {
  const std::size_t ip = ua.find("(iP");
  // ".+" needs one character between "(iP" and "; CPU ".
  return ip != npos && in_order(ua, {"; CPU ", "OS 12", ") AppleWebKit/"}, ip + 4);
}

// \(Macintosh;.*Mac OS X 10_14[_\d]*.*\) AppleWebKit\/
bool is_macos_10_14(std::string_view ua) {
  return in_order(ua, {"(Macintosh;", "Mac OS X 10_14", ") AppleWebKit/"});
}

// Version\/.* Safari\/ and not Chrom(e|ium)
bool is_chromium_based(std::string_view ua) { return ua.find("Chrome") != npos || ua.find("Chromium") != npos; }
bool is_safari(std::string_view ua) { return in_order(ua, {"Version/", " Safari/"}) && !is_chromium_based(ua); }

// ^Mozilla\/[\.\d]+ \(Macintosh;.*Mac OS X [_\d]+\) AppleWebKit\/[\.\d]+ \(KHTML, like Gecko\)$
bool is_mac_embedded_browser(std::string_view ua) {
  const auto dotted = [](char c) { return c == '.' || is_digit(c); };
  const auto underscored = [](char c) { return c == '_' || is_digit(c); };
  constexpr std::string_view mozilla = "Mozilla/", mac = " (Macintosh;", tail = " (KHTML, like Gecko)";
  constexpr std::string_view webkit = ") AppleWebKit/", osx = "Mac OS X ";
  // From the front: Mozilla/<version> (Macintosh;
  if (ua.rfind(mozilla, 0) != 0) return false;
  const std::size_t version_end = run_end(ua, mozilla.size(), dotted);
  if (version_end == mozilla.size() || ua.compare(version_end, mac.size(), mac) != 0) return false;
  const std::size_t middle_start = version_end + mac.size();
  // From the back: Mac OS X <version>) AppleWebKit/<version> (KHTML, like Gecko)
  if (ua.size() < tail.size() || ua.compare(ua.size() - tail.size(), tail.size(), tail) != 0) return false;
  std::size_t end = ua.size() - tail.size();
  std::size_t start = end;
  while (start > 0 && dotted(ua[start - 1])) --start;
  if (start == end || start < webkit.size() || ua.compare(start - webkit.size(), webkit.size(), webkit) != 0) {
    return false;
  }
  end = start - webkit.size();
  start = end;
  while (start > 0 && underscored(ua[start - 1])) --start;
  if (start == end || start < osx.size() || ua.compare(start - osx.size(), osx.size(), osx) != 0) return false;
  // ".*" between the two halves: they must not overlap.
  return start - osx.size() >= middle_start;
}

// The first match of `Chrom[^ \/]+\/(\d+)[\.\d]* `: its major version.
std::optional<int> chromium_major(std::string_view ua) {
  const auto name_char = [](char c) { return c != ' ' && c != '/'; };
  const auto dotted = [](char c) { return c == '.' || is_digit(c); };
  std::size_t from = 0;
  while (true) {
    const std::size_t at = ua.find("Chrom", from);
    if (at == npos) return std::nullopt;
    const std::size_t name_end = run_end(ua, at + 5, name_char);
    if (name_end > at + 5 && name_end < ua.size() && ua[name_end] == '/') {
      const std::size_t digits_end = run_end(ua, name_end + 1, is_digit);
      const std::size_t version_end = run_end(ua, digits_end, dotted);
      if (digits_end > name_end + 1 && version_end < ua.size() && ua[version_end] == ' ') {
        return version_number(ua.substr(name_end + 1, digits_end - name_end - 1));
      }
    }
    // Any later "Chrom" before name_end shares this one's fate.
    from = name_end > at + 5 ? name_end : at + 5;
  }
}

struct Version3 {
  int major, minor, build;
};

// The first match of `UCBrowser\/(\d+)\.(\d+)\.(\d+)[\.\d]* `.
std::optional<Version3> uc_browser_version(std::string_view ua) {
  const auto dotted = [](char c) { return c == '.' || is_digit(c); };
  constexpr std::string_view name = "UCBrowser/";
  std::size_t from = 0;
  while (true) {
    const std::size_t at = ua.find(name, from);
    if (at == npos) return std::nullopt;
    from = at + name.size();
    int parts[3] = {0, 0, 0};
    std::size_t pos = from;
    bool ok = true;
    for (int i = 0; i < 3 && ok; ++i) {
      const std::size_t end = run_end(ua, pos, is_digit);
      if (end == pos) {
        ok = false;
        break;
      }
      parts[i] = version_number(ua.substr(pos, end - pos));
      pos = end;
      if (i < 2) {
        if (pos >= ua.size() || ua[pos] != '.') ok = false;
        ++pos;
      }
    }
    if (!ok) continue;
    pos = run_end(ua, pos, dotted);
    if (pos < ua.size() && ua[pos] == ' ') return Version3{parts[0], parts[1], parts[2]};
  }
}

}  // namespace

bool supports_same_site_none(std::string_view user_agent) {
  // Real user agents are a few hundred bytes; anything longer is not one
  // of the old clients below, and is not worth scanning.
  if (user_agent.size() > kMaxSniffedUserAgentBytes) return true;
  // Nor is one with a line break in it (the patterns are single-line).
  if (user_agent.find_first_of("\r\n") != npos) return true;
  const std::string_view ua = user_agent;

  if (is_ios_12(ua)) return false;
  if (is_macos_10_14(ua) && (is_safari(ua) || is_mac_embedded_browser(ua))) return false;
  if (const auto uc = uc_browser_version(ua)) {
    return uc->major > 12 ||
           (uc->major == 12 && (uc->minor > 13 || (uc->minor == 13 && uc->build >= 2)));
  }
  if (is_chromium_based(ua)) {
    if (const auto major = chromium_major(ua); major && *major >= 51 && *major <= 66) return false;
  }
  return true;
}

}  // namespace stork
