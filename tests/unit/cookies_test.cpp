#include "sessions/cookies.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace stork;

namespace {

const std::string kToken = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";

std::vector<std::string> attributes_of(const std::string& set_cookie) {
  std::vector<std::string> out;
  std::size_t start = set_cookie.find(';');
  while (start != std::string::npos) {
    std::size_t end = set_cookie.find(';', start + 1);
    std::string attr = set_cookie.substr(start + 1, end == std::string::npos ? end : end - start - 1);
    while (!attr.empty() && attr.front() == ' ') attr.erase(0, 1);
    out.push_back(attr);
    start = end;
  }
  return out;
}

bool has_attr(const std::string& set_cookie, const std::string& attr) {
  for (const auto& a : attributes_of(set_cookie)) {
    if (a == attr || a.rfind(attr + "=", 0) == 0) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("session cookies byte for byte") {
  SUBCASE("browser session: no Max-Age") {
    const CookieAttributes attrs{std::nullopt, true};
    CHECK(session_cookie(kToken, attrs) ==
          "stork_sid=" + kToken + "; Path=/; Secure; HttpOnly; SameSite=None");
    CHECK(partitioned_cookie(kToken, attrs) ==
          "__Host-stork_psid=" + kToken + "; Path=/; Secure; HttpOnly; SameSite=None; Partitioned");
  }
  SUBCASE("remembered: Max-Age last") {
    const CookieAttributes attrs{604800, true};
    CHECK(session_cookie(kToken, attrs) ==
          "stork_sid=" + kToken + "; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=604800");
    CHECK(partitioned_cookie(kToken, attrs) ==
          "__Host-stork_psid=" + kToken +
              "; Path=/; Secure; HttpOnly; SameSite=None; Partitioned; Max-Age=604800");
  }
  SUBCASE("legacy clients: no SameSite attribute at all") {
    const CookieAttributes attrs{std::nullopt, false};
    const std::string sid = session_cookie(kToken, attrs);
    CHECK(sid == "stork_sid=" + kToken + "; Path=/; Secure; HttpOnly");
    CHECK(sid.find("SameSite") == std::string::npos);
    CHECK(partitioned_cookie(kToken, attrs).find("SameSite") == std::string::npos);
  }
}

TEST_CASE("expired cookies clear with the same name and attributes") {
  CHECK(expired_session_cookie(true) == "stork_sid=; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=0");
  CHECK(expired_partitioned_cookie(true) ==
        "__Host-stork_psid=; Path=/; Secure; HttpOnly; SameSite=None; Partitioned; Max-Age=0");
  CHECK(expired_session_cookie(false) == "stork_sid=; Path=/; Secure; HttpOnly; Max-Age=0");
  CHECK(expired_partitioned_cookie(false).find("SameSite") == std::string::npos);
  CHECK(expired_partitioned_cookie(false).find("Max-Age=0") != std::string::npos);
}

TEST_CASE("__Host- prefix rules and Partitioned only together with SameSite=None") {
  for (const bool none : {true, false}) {
    for (const auto max_age : {std::optional<std::int64_t>{}, std::optional<std::int64_t>{3600}}) {
      CAPTURE(none);
      const CookieAttributes attrs{max_age, none};
      const std::vector<std::string> cookies = {
          session_cookie(kToken, attrs), partitioned_cookie(kToken, attrs),
          expired_session_cookie(none), expired_partitioned_cookie(none)};
      for (const std::string& c : cookies) {
        CAPTURE(c);
        CHECK(has_attr(c, "Path"));
        CHECK(c.find("; Path=/;") != std::string::npos);
        CHECK(has_attr(c, "Secure"));
        CHECK(has_attr(c, "HttpOnly"));
        CHECK_FALSE(has_attr(c, "Domain"));
        if (has_attr(c, "Partitioned")) CHECK(has_attr(c, "SameSite"));
        if (c.rfind("stork_sid=", 0) == 0) CHECK_FALSE(has_attr(c, "Partitioned"));
      }
      CHECK(has_attr(partitioned_cookie(kToken, attrs), "Partitioned") == none);
    }
  }
}

TEST_CASE("parse_cookie_header") {
  SUBCASE("spaces around pairs and values") {
    const auto c = parse_cookie_header("  a=1;b=2 ;   c = 3  ");
    REQUIRE(c.size() == 3);
    CHECK(c[0] == std::pair<std::string, std::string>{"a", "1"});
    CHECK(c[1] == std::pair<std::string, std::string>{"b", "2"});
    CHECK(c[2] == std::pair<std::string, std::string>{"c", "3"});
  }
  SUBCASE("quoted values are unquoted") {
    const auto c = parse_cookie_header("stork_sid=\"abc\"; x=\"\"; y=\"unbalanced");
    REQUIRE(c.size() == 3);
    CHECK(c[0].second == "abc");
    CHECK(c[1].second == "");
    CHECK(c[2].second == "\"unbalanced");
  }
  SUBCASE("duplicates are kept in order") {
    const auto c = parse_cookie_header("stork_sid=first; other=x; stork_sid=second");
    CHECK(cookie_values(c, "stork_sid") == std::vector<std::string>{"first", "second"});
    CHECK(cookie_values(c, "missing").empty());
  }
  SUBCASE("pairs without '=' or without a name are skipped") {
    const auto c = parse_cookie_header("novalue; =orphan; ok=1;;; ");
    REQUIRE(c.size() == 1);
    CHECK(c[0].first == "ok");
  }
  SUBCASE("empty values are kept, '=' inside a value too") {
    const auto c = parse_cookie_header("a=; b=x=y");
    REQUIRE(c.size() == 2);
    CHECK(c[0].second == "");
    CHECK(c[1].second == "x=y");
  }
  SUBCASE("at most 50 pairs") {
    std::string header;
    for (int i = 0; i < 80; ++i) header += "k" + std::to_string(i) + "=" + std::to_string(i) + "; ";
    const auto c = parse_cookie_header(header);
    CHECK(c.size() == kMaxCookies);
    CHECK(c.size() == 50);
    CHECK(c.back().first == "k49");
  }
  SUBCASE("empty header") { CHECK(parse_cookie_header("").empty()); }
}

TEST_CASE("supports_same_site_none on real user agents") {
  struct Case {
    const char* what;
    const char* ua;
    bool expected;
  };
  const Case cases[] = {
      {"Chrome 50 Windows",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/50.0.2661.102 Safari/537.36",
       true},
      {"Chrome 51 Windows",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/51.0.2704.103 Safari/537.36",
       false},
      {"Chrome 58 Linux",
       "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/58.0.3029.110 Safari/537.36",
       false},
      {"Chrome 60 Android",
       "Mozilla/5.0 (Linux; Android 7.0; SM-G930V Build/NRD90M) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.107 Mobile Safari/537.36",
       false},
      {"Chrome 63 macOS",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/63.0.3239.132 Safari/537.36",
       false},
      {"Chrome 66 Windows",
       "Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/66.0.3359.181 Safari/537.36",
       false},
      {"Chromium 65 Ubuntu",
       "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Ubuntu Chromium/65.0.3325.181 Chrome/65.0.3325.181 Safari/537.36",
       false},
      {"Chrome 67 Windows",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/67.0.3396.99 Safari/537.36",
       true},
      {"Chrome 120 Windows",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
       true},
      {"UC Browser 12.13.1",
       "Mozilla/5.0 (Linux; U; Android 9; en-US; SM-A505F Build/PPR1.180610.011) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/57.0.2987.108 UCBrowser/12.13.1.1189 Mobile Safari/537.36",
       false},
      {"UC Browser 12.13.2",
       "Mozilla/5.0 (Linux; U; Android 9; en-US; SM-A505F Build/PPR1.180610.011) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/57.0.2987.108 UCBrowser/12.13.2.1208 Mobile Safari/537.36",
       true},
      {"Safari iOS 12",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 12_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1",
       false},
      {"WebView iOS 12",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 12_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/16B92",
       false},
      {"Chrome on iOS 12 (WebKit underneath)",
       "Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/75.0.3770.103 Mobile/15E148 Safari/605.1",
       false},
      {"Safari iOS 13",
       "Mozilla/5.0 (iPhone; CPU iPhone OS 13_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0.4 Mobile/15E148 Safari/604.1",
       true},
      {"Safari macOS 10.14",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Safari/605.1.15",
       false},
      {"embedded browser macOS 10.14",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/605.1.15 (KHTML, like Gecko)", false},
      {"Safari macOS 10.15",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0.3 Safari/605.1.15",
       true},
      {"Chrome macOS 10.14",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
       true},
      {"Firefox Linux",
       "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", true},
      {"Firefox macOS 10.14",
       "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.14; rv:68.0) Gecko/20100101 Firefox/68.0", true},
      {"no user agent", "", true},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    CHECK(supports_same_site_none(c.ua) == c.expected);
  }
  // Oversized and absurd inputs do not throw.
  CHECK(supports_same_site_none(std::string(4000, 'x')));
  CHECK(supports_same_site_none("Chrome/99999999999999999999 "));
}
