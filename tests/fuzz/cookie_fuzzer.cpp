// Fuzzes the Cookie-header parser and the SameSite=None client sniffing:
// both read attacker-controlled headers on every request.

#include "sessions/cookies.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const stork::CookieList cookies = stork::parse_cookie_header(input);
  if (cookies.size() > stork::kMaxCookies) std::abort();
  for (const auto& [name, value] : cookies) {
    // A pair never spans a separator and never has an empty name.
    if (name.empty()) std::abort();
    if (name.find(';') != std::string::npos || value.find(';') != std::string::npos) std::abort();
    if (name.size() + value.size() > input.size()) std::abort();
  }
  const auto sids = stork::cookie_values(cookies, stork::kSessionCookie);
  if (sids.size() > cookies.size()) std::abort();

  (void)stork::supports_same_site_none(input);
  return 0;
}
