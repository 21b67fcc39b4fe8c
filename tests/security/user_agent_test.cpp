// The SameSite=None compatibility check on the User-Agent header: the same
// answers as the published regular expressions, in time linear in the
// length of the header (a crafted 504-byte UA took 40 ms with std::regex).

#include "sessions/cookies.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <random>
#include <regex>
#include <string>
#include <vector>

using namespace stork;

namespace {

// The previous implementation, kept here as the reference for the answers.
int version_number(const std::string& digits) {
  if (digits.size() > 6) return 999999;
  return std::stoi(digits);
}

bool reference(const std::string& ua) {
  static const std::regex ios12(R"(\(iP.+; CPU .*OS 12[_\d]*.*\) AppleWebKit\/)");
  static const std::regex macos_10_14(R"(\(Macintosh;.*Mac OS X 10_14[_\d]*.*\) AppleWebKit\/)");
  static const std::regex safari(R"(Version\/.* Safari\/)");
  static const std::regex mac_embedded(
      R"(^Mozilla\/[\.\d]+ \(Macintosh;.*Mac OS X [_\d]+\) AppleWebKit\/[\.\d]+ \(KHTML, like Gecko\)$)");
  static const std::regex chromium_based(R"(Chrom(e|ium))");
  static const std::regex chromium_version(R"(Chrom[^ \/]+\/(\d+)[\.\d]* )");
  static const std::regex uc_version(R"(UCBrowser\/(\d+)\.(\d+)\.(\d+)[\.\d]* )");
  std::smatch m;
  if (std::regex_search(ua, ios12)) return false;
  const bool is_safari = std::regex_search(ua, safari) && !std::regex_search(ua, chromium_based);
  if (std::regex_search(ua, macos_10_14) && (is_safari || std::regex_search(ua, mac_embedded))) return false;
  if (std::regex_search(ua, m, uc_version)) {
    const int major = version_number(m[1]), minor = version_number(m[2]), build = version_number(m[3]);
    return major > 12 || (major == 12 && (minor > 13 || (minor == 13 && build >= 2)));
  }
  if (std::regex_search(ua, chromium_based) && std::regex_search(ua, m, chromium_version)) {
    const int major = version_number(m[1]);
    if (major >= 51 && major <= 66) return false;
  }
  return true;
}

// User agents that made the backtracking expressions slow: many partial
// matches and no full one.
std::vector<std::string> crafted_user_agents() {
  std::vector<std::string> out;
  auto fill = [](const std::string& unit) {
    std::string ua;
    while (ua.size() + unit.size() <= kMaxSniffedUserAgentBytes) ua += unit;
    return ua;
  };
  out.push_back(fill("(iP; CPU OS 12"));
  out.push_back(fill("(iPa; CPU OS 12_"));
  out.push_back(fill("(Macintosh;Mac OS X 10_14"));
  out.push_back("Mozilla/5.0 (Macintosh;" + fill("Mac OS X 1_") );
  out.push_back(fill("Chrom/"));
  out.push_back(fill("UCBrowser/1.2.3"));
  out.push_back(fill("Version/ Safari/"));
  for (auto& ua : out) ua.resize(std::min(ua.size(), kMaxSniffedUserAgentBytes));
  return out;
}

}  // namespace

TEST_CASE("user agent: the same answers as the published expressions, on real and generated user agents") {
  const std::vector<std::string> real = {
      "Mozilla/5.0 (iPhone; CPU iPhone OS 12_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/12.1.2 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 13_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/13.0.1 Mobile/15E148 Safari/604.1",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
      "Version/12.1.2 Safari/605.1.15",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/605.1.15 (KHTML, like Gecko)",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_6) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/76.0.3809.100 Safari/537.36",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/65.0.3325.181 Safari/537.36",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/51.0.2704.79 "
      "Chrome/51.0.2704.79 Safari/537.36",
      "Mozilla/5.0 (Linux; U; Android 9; en-US; SM-G960F Build/PPR1.180610.011) AppleWebKit/537.36 (KHTML, "
      "like Gecko) Version/4.0 Chrome/57.0.2987.108 UCBrowser/12.13.0.1207 Mobile Safari/537.36",
      "Mozilla/5.0 (Linux; U; Android 9; en-US) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 "
      "Chrome/57.0.2987.108 UCBrowser/12.13.2.1208 Mobile Safari/537.36",
      "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "",
  };
  for (const std::string& ua : real) {
    CAPTURE(ua);
    CHECK(supports_same_site_none(ua) == reference(ua));
  }
  // Random strings built from the fragments the expressions look for.
  const std::vector<std::string> fragments = {
      "(iP", "(iPhone", "; CPU ", "OS 12", "OS 13", "_4", "_", ") AppleWebKit/", ")", " AppleWebKit/",
      "Mozilla/", "5.0", " (Macintosh;", "(Macintosh;", "Mac OS X ", "Mac OS X 10_14", "10_14", " (KHTML, like Gecko)",
      "Chrome", "Chromium", "Chrom", "Chromx", "/", "65", "51", "66", "67", "1234567", ".0", ".", " ", "UCBrowser/",
      "12", "13", "2", "1", "Version/", " Safari/", "x", "; ", "Intel "};
  std::mt19937 rng(8);
  std::uniform_int_distribution<std::size_t> pick(0, fragments.size() - 1);
  std::uniform_int_distribution<int> count(1, 14);
  int disagreements = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string ua;
    for (int n = count(rng); n > 0; --n) ua += fragments[pick(rng)];
    if (supports_same_site_none(ua) != reference(ua)) {
      if (++disagreements <= 5) MESSAGE("disagreement on: " << ua);
    }
  }
  CHECK(disagreements == 0);
}

TEST_CASE("user agent: crafted headers are checked in linear time, and long ones are not scanned") {
  // Not a performance target: the margin is two orders of magnitude. The
  // expressions took tens of milliseconds for each of these.
  const auto crafted = crafted_user_agents();
  const auto t0 = std::chrono::steady_clock::now();
  int modern = 0;
  for (int round = 0; round < 200; ++round) {
    for (const std::string& ua : crafted) modern += supports_same_site_none(ua) ? 1 : 0;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::size_t checks = crafted.size() * 200;
  MESSAGE(checks << " checks of crafted user agents of up to " << kMaxSniffedUserAgentBytes << " bytes took "
                 << seconds * 1000 << " ms");
  CHECK(modern > 0);
  CHECK(seconds < 2.0);
  CHECK(supports_same_site_none(std::string(100000, '(')));
}
