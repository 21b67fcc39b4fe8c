#pragma once
// Password hashing with argon2id (libsodium), stored as a PHC string
// ($argon2id$v=19$m=...,t=...,p=1$salt$hash).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace stork {

struct Argon2Params {
  // OWASP's minimum recommendation for argon2id: m = 19 MiB, t = 2, p = 1.
  std::uint64_t ops_limit = 2;
  std::size_t mem_limit_bytes = 19u * 1024u * 1024u;
};

inline constexpr std::size_t kMinPasswordLength = 8;
inline constexpr std::size_t kMaxPasswordLength = 128;   // policy, in characters
inline constexpr std::size_t kMaxPasswordBytes = 1024;   // request limit, in bytes

std::string hash_password(std::string_view password, const Argon2Params& params = {});

// Constant-time check of password against a PHC string. A malformed hash
// verifies nothing.
bool verify_password(std::string_view password, const std::string& phc);

// True when phc was made with other parameters than params (re-hash it).
bool needs_rehash(const std::string& phc, const Argon2Params& params = {});

// Why a new password is refused, or empty when it is acceptable.
// ASVS V2.1: 8..128 characters, no composition rules, common passwords refused.
std::string password_policy_violation(std::string_view password, std::string_view username);

}  // namespace stork
