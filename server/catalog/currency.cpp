#include "catalog/currency.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace stork {
namespace {

struct CurrencyDigits {
  std::string_view code;
  int digits;
};

// Active codes of ISO 4217 (list one, 2025 edition) whose minor unit is not
// 2. Funds codes with a minor unit are included; metals, testing codes and
// withdrawn codes (HRK, ANG, SLL, ...) are not, so they are refused.
constexpr auto kNotTwo = std::to_array<CurrencyDigits>({
    {"BHD", 3}, {"BIF", 0}, {"CLF", 4}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3},
    {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3},
    {"OMR", 3}, {"PYG", 0}, {"RWF", 0}, {"TND", 3}, {"UGX", 0}, {"UYI", 0}, {"UYW", 4},
    {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0},
});

// Every other active code: 2 digits.
constexpr auto kTwo = std::to_array<std::string_view>({
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
    "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE",
    "CHF", "CHW", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DKK", "DOP", "DZD", "EGP",
    "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD", "HKD",
    "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IRR", "JMD", "KES", "KGS", "KHR", "KPW", "KYD",
    "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP",
    "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR",
    "NZD", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SBD",
    "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL",
    "THB", "TJS", "TMT", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "USD", "USN", "UYU", "UZS",
    "VED", "VES", "WST", "XCD", "XCG", "YER", "ZAR", "ZMW", "ZWG",
});

constexpr std::int64_t pow10(int n) {
  std::int64_t out = 1;
  for (int i = 0; i < n; ++i) out *= 10;
  return out;
}

}  // namespace

std::optional<int> minor_digits(std::string_view currency) {
  if (currency.size() != 3) return std::nullopt;
  for (const auto& c : kNotTwo) {
    if (c.code == currency) return c.digits;
  }
  if (std::find(kTwo.begin(), kTwo.end(), currency) != kTwo.end()) return 2;
  return std::nullopt;
}

PriceParse parse_price(std::string_view text, int digits) {
  PriceParse out;
  if (text.empty()) {
    out.error = "is empty";
    return out;
  }
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? "" : text.substr(dot + 1);
  const auto all_digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || !all_digits(whole) || !all_digits(fraction) ||
      (dot != std::string_view::npos && fraction.empty())) {
    out.error = "'" + std::string(text) + "' is not a decimal number like 499.99";
    return out;
  }
  if (fraction.size() > static_cast<std::size_t>(digits)) {
    out.error = digits == 0 ? "this currency has no minor unit: write a whole number"
                            : "this currency has " + std::to_string(digits) +
                                  " digits after the decimal point";
    return out;
  }
  // Leading zeros do not count towards the size limit.
  const auto first = whole.find_first_not_of('0');
  const std::string_view significant = first == std::string_view::npos ? "0" : whole.substr(first);
  if (significant.size() > 15) {
    out.error = "is too large";
    return out;
  }
  std::int64_t minor = 0;
  for (const char c : significant) minor = minor * 10 + (c - '0');
  std::int64_t frac = 0;
  for (const char c : fraction) frac = frac * 10 + (c - '0');
  frac *= pow10(digits - static_cast<int>(fraction.size()));
  if (minor > (kMaxPriceMinor - frac) / pow10(digits)) {
    out.error = "is too large";
    return out;
  }
  out.minor = minor * pow10(digits) + frac;
  return out;
}

std::string format_price(std::int64_t minor, int digits) {
  const bool negative = minor < 0;
  const std::uint64_t magnitude =
      negative ? static_cast<std::uint64_t>(-(minor + 1)) + 1 : static_cast<std::uint64_t>(minor);
  std::string text = std::to_string(magnitude);
  if (digits > 0) {
    if (text.size() <= static_cast<std::size_t>(digits)) {
      text.insert(0, static_cast<std::size_t>(digits) + 1 - text.size(), '0');
    }
    text.insert(text.size() - static_cast<std::size_t>(digits), 1, '.');
  }
  return negative ? "-" + text : text;
}

double price_amount(std::int64_t minor, std::string_view currency) {
  const int digits = minor_digits(currency).value_or(2);
  // Division of two exactly representable numbers: correctly rounded, so
  // 49999 / 100 is the double nearest 499.99, which prints as 499.99.
  return static_cast<double>(minor) / static_cast<double>(pow10(digits));
}

}  // namespace stork
