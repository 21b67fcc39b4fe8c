#include "accounts/signup_policy.hpp"

#include "text.hpp"

#include <algorithm>
#include <array>

namespace stork {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_punct(char c) { return c == '.' || c == '_' || c == '-'; }

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Exact names: the system's own words and roles a visitor could abuse.
constexpr auto kReserved = std::to_array<std::string_view>({
    "abuse", "account", "accounts", "admin", "administrator", "anonymous", "api", "assets",
    "auth", "billing", "contact", "demo", "embed", "guest", "help", "hostmaster", "info",
    "login", "logout", "mail", "me", "mod", "moderator", "noreply", "no-reply", "null",
    "official", "operator", "owner", "postmaster", "privacy", "root", "security", "settings",
    "signin", "signup", "staff", "support", "sysadmin", "system", "team", "test", "undefined",
    "user", "webmaster", "widget", "www",
});

// Prefixes: anything that reads as Stork itself or its staff.
constexpr auto kReservedPrefixes = std::to_array<std::string_view>({"stork", "admin", "support"});

}  // namespace

bool is_reserved_username(std::string_view username) {
  const std::string lower = lower_ascii(username);
  if (std::find(kReserved.begin(), kReserved.end(), lower) != kReserved.end()) return true;
  return std::any_of(kReservedPrefixes.begin(), kReservedPrefixes.end(),
                     [&](std::string_view prefix) { return lower.rfind(prefix, 0) == 0; });
}

std::string signup_username_violation(std::string_view username) {
  if (username.size() < kMinSignupUsername || username.size() > kMaxSignupUsername) {
    return "Use 3 to 32 characters.";
  }
  for (const char c : username) {
    if (!is_alnum(c) && !is_punct(c)) return "Use only letters, digits, '.', '_' and '-'.";
  }
  if (!is_alnum(username.front()) || !is_alnum(username.back())) {
    return "Start and end with a letter or digit.";
  }
  for (std::size_t i = 1; i < username.size(); ++i) {
    if (is_punct(username[i]) && is_punct(username[i - 1])) {
      return "Put a letter or digit between '.', '_' and '-'.";
    }
  }
  if (is_reserved_username(username)) return "This username is reserved. Please choose another.";
  return {};
}

std::string person_name_violation(std::string_view name) {
  if (name.empty()) return "Please fill this in.";
  const auto chars = utf8_chars(name);
  if (!chars) return "This is not valid text (UTF-8).";
  if (*chars > kMaxPersonNameChars) return "Use at most 100 characters.";
  if (has_control_chars(name)) return "Use no line breaks or control characters.";
  return {};
}

}  // namespace stork
