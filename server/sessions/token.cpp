#include "sessions/token.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace stork {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenChars = 43;  // base64url, no padding

void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialized");
}

std::string to_base64url(const unsigned char* data, std::size_t len) {
  const auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(len, variant), '\0');
  sodium_bin2base64(out.data(), out.size(), data, len, variant);
  out.resize(out.size() - 1);  // drop the terminating NUL
  return out;
}

std::string to_hex(const unsigned char* data, std::size_t len) {
  std::string out(len * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, len);
  out.pop_back();
  return out;
}

}  // namespace

std::string new_session_token() {
  ensure_sodium();
  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return to_base64url(bytes.data(), bytes.size());
}

bool is_well_formed_token(std::string_view token) {
  if (token.size() != kTokenChars) return false;
  for (const char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string hash_token(std::string_view token) {
  ensure_sodium();
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
  return to_hex(digest.data(), digest.size());
}

std::string csrf_token_for(std::string_view session_token) {
  ensure_sodium();
  static constexpr unsigned char kDomain[] = "stork csrf token, v1 (domain key)";
  std::array<unsigned char, 24> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(session_token.data()),
                     session_token.size(), kDomain, sizeof kDomain - 1);
  return to_base64url(digest.data(), digest.size());
}

std::string random_hex(std::size_t n) {
  ensure_sodium();
  std::string bytes(n, '\0');
  randombytes_buf(bytes.data(), n);
  return to_hex(reinterpret_cast<const unsigned char*>(bytes.data()), n);
}

std::string new_public_id() { return random_hex(16); }

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace stork
