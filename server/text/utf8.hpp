#pragma once
// UTF-8: every text Stork accepts (command line, request headers it keeps,
// JSON bodies) is valid UTF-8, so every text it stores can be written as
// JSON. Pure functions.

#include <string>
#include <string_view>

namespace stork {

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
// past U+10FFFF, no truncated sequences.
bool is_valid_utf8(std::string_view text);

// The text with every ill-formed sequence replaced by U+FFFD.
std::string to_valid_utf8(std::string_view text);

}  // namespace stork
