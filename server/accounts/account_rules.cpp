#include "accounts/account_store.hpp"

#include "text/utf8.hpp"

namespace stork {
std::string username_violation(std::string_view username) {
  if (username.empty()) return "The username is empty.";
  if (username.size() > kMaxUsernameBytes) return "The username is longer than 64 bytes.";
  for (const char c : username) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return "Use only letters, digits, '.', '_' and '-' in a username.";
  }
  return {};
}

std::string name_violation(std::string_view name) {
  if (name.empty()) return "A name is empty.";
  if (name.size() > kMaxNameBytes) return "A name is longer than 100 bytes.";
  if (!is_valid_utf8(name)) return "A name is not valid UTF-8 text.";
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return "A name contains a control character.";
  }
  return {};
}

}  // namespace stork
