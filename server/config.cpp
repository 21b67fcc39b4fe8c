#include "config.hpp"

#include <algorithm>
#include <cctype>

namespace stork {

std::string default_assets_dir() { return STORK_DEFAULT_ASSETS; }

std::optional<HostPort> parse_host_port(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  HostPort hp;
  hp.host = colon == 0 ? "127.0.0.1" : text.substr(0, colon);
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  hp.port = std::stoi(port);
  if (hp.port > 65535) return std::nullopt;
  if (hp.host.size() > 2 && hp.host.front() == '[' && hp.host.back() == ']') {
    hp.host = hp.host.substr(1, hp.host.size() - 2);
  }
  return hp;
}

}  // namespace stork
