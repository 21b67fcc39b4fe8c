#include "publishers/origin.hpp"

#include <algorithm>
#include <cctype>

namespace stork {

std::optional<std::string> normalize_origin(std::string_view text) {
  if (text.size() > 255) return std::nullopt;
  std::string s(text);
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string scheme;
  if (s.rfind("http://", 0) == 0) {
    scheme = "http";
  } else if (s.rfind("https://", 0) == 0) {
    scheme = "https";
  } else {
    return std::nullopt;
  }
  std::string rest = s.substr(scheme.size() + 3);
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.empty()) return std::nullopt;
  std::string host = rest, port;
  if (rest.front() == '[') {  // IPv6 literal
    const auto close = rest.find(']');
    if (close == std::string::npos) return std::nullopt;
    host = rest.substr(0, close + 1);
    const std::string after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
    }
  } else if (const auto colon = rest.find(':'); colon != std::string::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) return std::nullopt;
  const bool host_ok = std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '[' ||
           c == ']' || c == ':';
  });
  if (!host_ok) return std::nullopt;
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        })) {
      return std::nullopt;
    }
    const int number = std::stoi(port);
    if (number < 1 || number > 65535) return std::nullopt;
    if ((scheme == "http" && number == 80) || (scheme == "https" && number == 443)) port.clear();
  }
  return scheme + "://" + host + (port.empty() ? "" : ":" + port);
}

std::string site_of(std::string_view origin) {
  const std::string s(origin);
  const auto scheme_end = s.find("://");
  if (scheme_end == std::string::npos) return s;
  const auto host_start = scheme_end + 3;
  auto host_end = s.find(':', host_start);
  if (s.compare(host_start, 1, "[") == 0) host_end = s.find(']', host_start) + 1;
  return s.substr(0, host_end);
}

}  // namespace stork
