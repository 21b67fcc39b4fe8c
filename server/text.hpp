#pragma once
// Checks on human-written text that Stork stores and shows again.

#include <cstddef>
#include <optional>
#include <string_view>

namespace stork {

// Length in code points of valid UTF-8 (shortest forms, no surrogates, at
// most U+10FFFF); nullopt for anything else.
std::optional<std::size_t> utf8_chars(std::string_view s);

// C0 controls, DEL and C1 controls (line breaks and tabs included).
bool has_control_chars(std::string_view s);

}  // namespace stork
