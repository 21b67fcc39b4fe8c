#pragma once
// What a visitor may choose when signing up. Pure functions: each returns
// why a value is refused, or "" when it is acceptable.

#include <cstdint>
#include <string>
#include <string_view>

namespace stork {

inline constexpr std::size_t kMinSignupUsername = 3;
inline constexpr std::size_t kMaxSignupUsername = 32;
inline constexpr std::size_t kMaxPersonNameChars = 100;

// 3..32 of [A-Za-z0-9._-], starting and ending with a letter or digit, no
// two of '.', '_', '-' in a row, and not a reserved name (in any case).
// Uniqueness (also in any case) is the store's to enforce.
std::string signup_username_violation(std::string_view username);

// Names Stork keeps for itself or that would let one visitor pass for
// staff ("admin", "support", "stork-team", ...). Case-insensitive.
bool is_reserved_username(std::string_view username);

// A first or last name: 1..100 characters of valid UTF-8, no control
// characters.
std::string person_name_violation(std::string_view name);

// Fixed-window limit on sign-up attempts per client address.
struct SignupRules {
  std::int64_t attempts_per_window = 10;
  std::int64_t window_seconds = 3600;
};

}  // namespace stork
