#include "accounts/password.hpp"

#include "text/utf8.hpp"

#include <sodium.h>

#include <cstddef>  // crack.h uses size_t without including it
#include <crack.h>

#include <algorithm>
#include <array>
#include <iostream>
#include <mutex>
#include <stdexcept>

namespace stork {
namespace {

// A short list of the passwords most often seen in breaches. A real
// deployment can extend the check with a breached-password service.
constexpr std::array<std::string_view, 40> kCommonPasswords = {
    "password",   "12345678",   "123456789",  "1234567890", "qwertyuiop", "password1",
    "iloveyou",   "11111111",   "00000000",   "abc12345",   "qwerty123",  "1q2w3e4r",
    "sunshine",   "princess",   "football",   "baseball",   "welcome1",   "passw0rd",
    "superman",   "trustno1",   "letmein1",   "dragon123",  "master123",  "monkey123",
    "87654321",   "12341234",   "asdfghjk",   "zaq12wsx",   "qwertyui",   "password123",
    "123123123",  "1qaz2wsx",   "starwars",   "whatever",   "computer",   "michelle",
    "jennifer",   "shadow123",  "12344321",   "changeme",
};

std::size_t utf8_length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Dictionary words and their common manglings (cracklib, with the
// dictionary Debian's cracklib-runtime builds). Empty when acceptable.
std::string dictionary_violation(std::string_view password, std::string_view username) {
  // cracklib keeps static state while it reads the dictionary.
  static std::mutex cracklib_mutex;
  const std::string pw(password);
  const std::string user(username);
  std::lock_guard lock(cracklib_mutex);
  const char* verdict = FascistCheckUser(pw.c_str(), GetDefaultCracklibDict(), user.c_str(), nullptr);
  if (verdict == nullptr) return {};
  const std::string why(verdict);
  if (why.find("error loading dictionary") != std::string::npos) {
    // A host without the dictionary still has the built-in list; say so
    // once rather than refusing every password.
    static std::once_flag warned;
    std::call_once(warned, [] {
      std::cerr << "stork: the cracklib dictionary is missing; only the built-in list of "
                   "common passwords is checked\n";
    });
    return {};
  }
  return "This password is too easy to guess (" + why + ").";
}

}  // namespace

std::string hash_password(std::string_view password, const Argon2Params& params) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialized");
  std::array<char, crypto_pwhash_argon2id_STRBYTES> out{};
  if (crypto_pwhash_argon2id_str(out.data(), password.data(), password.size(), params.ops_limit,
                                 params.mem_limit_bytes) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return std::string(out.data());
}

bool verify_password(std::string_view password, const std::string& phc) {
  if (phc.size() >= crypto_pwhash_argon2id_STRBYTES) return false;
  return crypto_pwhash_argon2id_str_verify(phc.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(const std::string& phc, const Argon2Params& params) {
  if (phc.size() >= crypto_pwhash_argon2id_STRBYTES) return true;
  return crypto_pwhash_argon2id_str_needs_rehash(phc.c_str(), params.ops_limit,
                                                 params.mem_limit_bytes) != 0;
}

std::string password_policy_violation(std::string_view password, std::string_view username) {
  if (!is_valid_utf8(password)) return "The password is not valid UTF-8 text.";
  const std::size_t length = utf8_length(password);
  if (length < kMinPasswordLength) return "Use at least 8 characters.";
  if (length > kMaxPasswordLength || password.size() > kMaxPasswordBytes) {
    return "Use at most 128 characters.";
  }
  const std::string lowered = lower(password);
  if (!username.empty() && lowered.find(lower(username)) != std::string::npos) {
    return "The password must not contain the username.";
  }
  if (std::all_of(lowered.begin(), lowered.end(), [&](char c) { return c == lowered[0]; })) {
    return "The password must not be one repeated character.";
  }
  for (const std::string_view common : kCommonPasswords) {
    if (lowered == common) return "This password is too common.";
  }
  return dictionary_violation(password, username);
}

}  // namespace stork
