#include "text/utf8.hpp"

#include <cstdint>

namespace stork {
namespace {

// Length of the well-formed sequence at `at`, or 0 if it is ill-formed
// (Unicode, table 3-7).
std::size_t sequence_length(std::string_view s, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
  const auto continuation = [&](std::size_t i, std::uint8_t low = 0x80, std::uint8_t high = 0xBF) {
    return i < s.size() && byte(i) >= low && byte(i) <= high;
  };
  const std::uint8_t b = byte(at);
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return continuation(at + 1) ? 2 : 0;
  if (b >= 0xE0 && b <= 0xEF) {
    const std::uint8_t low = b == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
    const std::uint8_t high = b == 0xED ? 0x9F : 0xBF;  // no surrogates
    return continuation(at + 1, low, high) && continuation(at + 2) ? 3 : 0;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    const std::uint8_t low = b == 0xF0 ? 0x90 : 0x80;   // no overlong forms
    const std::uint8_t high = b == 0xF4 ? 0x8F : 0xBF;  // nothing past U+10FFFF
    return continuation(at + 1, low, high) && continuation(at + 2) && continuation(at + 3) ? 4 : 0;
  }
  return 0;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t n = sequence_length(text, at);
    if (n == 0) return false;
    at += n;
  }
  return true;
}

std::string to_valid_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t n = sequence_length(text, at);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++at;
    } else {
      out.append(text.substr(at, n));
      at += n;
    }
  }
  return out;
}

}  // namespace stork
