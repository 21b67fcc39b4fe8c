#pragma once
// Money as Stork keeps it: an integer count of the currency's minor unit
// (cents for EUR, yen for JPY, fils for KWD), never a floating-point
// number. Texts are decimal strings with at most the currency's minor
// digits ("499.99" EUR, "5000" JPY, "1.250" KWD).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stork {

// Digits after the decimal point of an active ISO 4217 currency (EUR 2,
// JPY 0, KWD 3, CLF 4); nullopt for anything else, lower case included.
std::optional<int> minor_digits(std::string_view currency);

// The largest amount accepted, in minor units: small enough that the
// product JSON's number (a double) carries it exactly.
inline constexpr std::int64_t kMaxPriceMinor = 999'999'999'999'999;

struct PriceParse {
  std::optional<std::int64_t> minor;  // set on success
  std::string error;                  // why not, otherwise
};

// "499.99" with 2 digits -> 49999; "5000" with 0 -> 5000; "1.5" with 2 ->
// 150. Refuses signs, exponents, spaces, more fraction digits than the
// currency has, and amounts above kMaxPriceMinor.
PriceParse parse_price(std::string_view text, int digits);

// The inverse of parse_price, always with all the minor digits ("1.50").
std::string format_price(std::int64_t minor, int digits);

// The amount as a JSON number: minor / 10^digits (exact for every amount
// parse_price accepts). Unknown currencies are taken as 2 digits.
double price_amount(std::int64_t minor, std::string_view currency);

}  // namespace stork
