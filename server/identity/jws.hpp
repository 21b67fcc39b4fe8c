#pragma once
// The cryptographic checks of a compact JWS (RFC 7515), on OpenSSL's EVP
// primitives; no cryptography is written here, only the encodings around it.
//
// Why not libjwt (Debian's 1.10): its jwt_decode takes one key and
// verifies with whatever algorithm the token's header names, so a token
// saying HS256 is checked by HMAC keyed with an ES256 key's public PEM
// (the classic algorithm confusion); pinning the algorithm means checking
// after it already verified. Here the caller passes the key's own
// algorithm and the header's "alg" is only compared with it. libjwt mints
// tokens in the tests and the demo, an independent implementation that
// keeps this one honest.

#include <optional>
#include <string>
#include <string_view>

namespace stork {

// base64url without padding, strict: other characters, padding or
// non-zero trailing bits give nullopt (one token has one encoding).
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64url_encode(std::string_view bytes);

// ES256: ECDSA P-256 with SHA-256 over signing_input; signature is JOSE's
// 64 bytes r||s (converted to DER for OpenSSL). spki_pem as kept in
// PublisherKey. False for any mismatch or unreadable input.
bool verify_es256(std::string_view spki_pem, std::string_view signing_input,
                  std::string_view signature);

// HS256: HMAC-SHA-256 keyed with secret, compared in constant time.
bool verify_hs256(std::string_view secret, std::string_view signing_input,
                  std::string_view signature);

}  // namespace stork
