// Money in minor units: ISO 4217 digits, exact parsing and formatting.

#include "catalog/currency.hpp"

#include <doctest/doctest.h>

using namespace stork;

TEST_CASE("ISO 4217 minor digits: EUR 2, JPY 0, KWD 3, CLF 4; unknown and lower case refused") {
  CHECK(minor_digits("EUR") == 2);
  CHECK(minor_digits("USD") == 2);
  CHECK(minor_digits("JPY") == 0);
  CHECK(minor_digits("KRW") == 0);
  CHECK(minor_digits("ISK") == 0);
  CHECK(minor_digits("KWD") == 3);
  CHECK(minor_digits("BHD") == 3);
  CHECK(minor_digits("CLF") == 4);
  CHECK_FALSE(minor_digits("eur"));
  CHECK_FALSE(minor_digits("EU"));
  CHECK_FALSE(minor_digits("EURO"));
  CHECK_FALSE(minor_digits("XAU"));  // gold has no minor unit
  CHECK_FALSE(minor_digits("HRK"));  // withdrawn in 2023
  CHECK_FALSE(minor_digits("ABC"));
}

TEST_CASE("parse_price is exact and refuses what is not a plain decimal") {
  CHECK(parse_price("499.99", 2).minor == 49999);
  CHECK(parse_price("0.10", 2).minor == 10);
  CHECK(parse_price("1.5", 2).minor == 150);
  CHECK(parse_price("12", 2).minor == 1200);
  CHECK(parse_price("5000", 0).minor == 5000);
  CHECK(parse_price("1.250", 3).minor == 1250);
  CHECK(parse_price("0", 2).minor == 0);
  CHECK(parse_price("0007.00", 2).minor == 700);
  // 0.1 + 0.2 style traps: no floating point anywhere.
  CHECK(parse_price("0.29", 2).minor == 29);
  CHECK(parse_price("9999999999999.99", 2).minor == 999999999999999);

  for (const char* bad : {"", "-1", "+1", "1e3", " 1", "1 ", "1,50", ".5", "5.", "1.2.3", "abc", "١٢"}) {
    CAPTURE(bad);
    const PriceParse p = parse_price(bad, 2);
    CHECK_FALSE(p.minor);
    CHECK_FALSE(p.error.empty());
  }
  CHECK(parse_price("5000.5", 0).error.find("no minor unit") != std::string::npos);
  CHECK(parse_price("1.999", 2).error.find("2 digits") != std::string::npos);
  CHECK_FALSE(parse_price("10000000000000.00", 2).minor);  // above the limit
  CHECK_FALSE(parse_price("99999999999999999999999", 0).minor);
}

TEST_CASE("format_price writes every minor digit and inverts parse_price") {
  CHECK(format_price(49999, 2) == "499.99");
  CHECK(format_price(5, 2) == "0.05");
  CHECK(format_price(0, 2) == "0.00");
  CHECK(format_price(5000, 0) == "5000");
  CHECK(format_price(1250, 3) == "1.250");
  for (const std::int64_t minor : {std::int64_t{0}, std::int64_t{1}, std::int64_t{99}, std::int64_t{100},
                                   std::int64_t{123456789}, kMaxPriceMinor}) {
    for (const int digits : {0, 2, 3, 4}) {
      CHECK(parse_price(format_price(minor, digits), digits).minor == minor);
    }
  }
}

TEST_CASE("price_amount divides by the currency's own power of ten") {
  CHECK(price_amount(49999, "EUR") == doctest::Approx(499.99).epsilon(1e-15));
  CHECK(price_amount(5000, "JPY") == 5000.0);
  CHECK(price_amount(1250, "KWD") == 1.25);
}
