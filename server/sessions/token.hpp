#pragma once
// Session tokens: 256 random bits from libsodium's CSPRNG, sent to the
// browser once, stored only as a hash.

#include <string>
#include <string_view>

namespace stork {

// 32 random bytes, base64url without padding (43 characters).
std::string new_session_token();

// Looks like a token we issued: right length and alphabet. Anything else is
// rejected before it reaches the database.
bool is_well_formed_token(std::string_view token);

// What the session store keeps: BLAKE2b-256 of the token, hex.
std::string hash_token(std::string_view token);

// The CSRF token of a session, derived from its token with a keyed hash.
// Deriving instead of storing means no extra column and no extra write; it
// is unguessable without the session token, and differs per session.
std::string csrf_token_for(std::string_view session_token);

// Random identifier for display (the session list), hex of 16 bytes.
std::string new_public_id();

// Compares in time that depends only on the lengths.
bool constant_time_equals(std::string_view a, std::string_view b);

// Hex of n random bytes.
std::string random_hex(std::size_t n);

}  // namespace stork
