#pragma once
// A product as a catalog file describes it (no ratings), and the rules
// every field of such a file must meet.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace stork {

struct ProductRow {
  std::int64_t id = 0;
  std::string name;
  std::string brand;
  std::int64_t price_minor = 0;  // in the currency's minor unit (cents, yen, ...)
  std::string currency;          // ISO 4217 code
  std::string image;             // https:// URL or /assets/ path

  bool operator==(const ProductRow&) const = default;
};

// Ids a browser's JavaScript still holds exactly (2^53 - 1).
inline constexpr std::int64_t kMaxProductId = 9'007'199'254'740'991;
inline constexpr std::size_t kMaxProductTextChars = 200;
inline constexpr std::size_t kMaxImageUrlBytes = 2048;

// Each returns why a value is refused, or "" when it is acceptable.

// A name or brand: valid UTF-8, 1..200 characters, no control characters,
// no leading or trailing white space.
std::string product_text_violation(std::string_view text);

// An https:// URL with a host and no user info, or /assets/PATH naming an
// image file under assets_root (the directory /assets/ is served from;
// empty: the file's existence is not checked).
std::string product_image_violation(std::string_view image,
                                    const std::filesystem::path& assets_root);

}  // namespace stork
