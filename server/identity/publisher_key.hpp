#pragma once
// A publisher's signing key as Stork keeps it, and how one is made from
// what an operator hands over. Each key is pinned to one algorithm: a token
// is checked only with its key's algorithm, whatever its header claims.
//
//   ES256  the publisher's P-256 public key (PEM or JWK in, SPKI PEM kept).
//          Preferred: Stork then holds nothing that can sign.
//   HS256  a shared secret Stork makes: 32 bytes from libsodium's CSPRNG,
//          base64url (43 characters). The HMAC key is that text, byte for
//          byte, as printed, so a publisher's library takes it as it is.

#include "clock.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace stork {

enum class JwsAlg { es256, hs256 };

std::string_view alg_name(JwsAlg alg);
std::optional<JwsAlg> parse_alg(std::string_view name);  // "ES256" / "HS256" exactly

struct PublisherKey {
  std::string kid;
  std::string publisher;  // the publisher's key (its data-publisher value)
  JwsAlg alg = JwsAlg::es256;
  std::string material;   // ES256: SPKI PEM; HS256: the secret
  UnixSeconds created_at = 0;
};

// Why a kid is refused, or empty: 1..64 of [A-Za-z0-9._-].
std::string kid_violation(std::string_view kid);

// An ES256 public key from a PEM public key or a JWK ({"kty":"EC",
// "crv":"P-256","x","y"}; a JWK's own "kid" comes back too). The error says
// what is wrong (not P-256, a private key, unreadable).
struct Es256Key {
  std::string spki_pem;
  std::string jwk_kid;  // empty when not a JWK or it had none
};
std::variant<Es256Key, std::string> read_es256_public_key(std::string_view text);

// A fresh HS256 secret (see above).
std::string new_hs256_secret();

}  // namespace stork
