#pragma once
// Checks a publisher's identity token (see the contract, "Publisher-asserted
// identity"). Pure: the keys and the time come in, the claims or the one
// check that failed come out. Replay is the caller's part (it needs the
// store): IdentityService claims the jti after this says yes.

#include "clock.hpp"
#include "identity/publisher_key.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace stork {

enum class IdentityRefusal {
  malformed,          // not a compact JWS with JSON header and claims of the right types
  alg_none,           // "alg": "none" (an unsigned token)
  alg_mismatch,       // "alg" is not the algorithm the key is pinned to
  unknown_key,        // no key with this kid
  bad_signature,
  wrong_issuer,       // iss is not the publisher the key belongs to
  wrong_audience,     // aud is not Stork's public origin
  lifetime_too_long,  // exp more than 600 s after iat
  expired,            // exp passed (30 s leeway)
  not_yet_valid,      // iat (or nbf) in the future (30 s leeway)
  bad_subject,        // sub missing, empty, over 128 bytes or not text
  missing_jti,
  replayed,           // this jti was used before
  wrong_origin,       // the page that passed the token is not one of the publisher's origins
  account_disabled,   // the operator disabled the account this sub maps to
};

// Short name for metrics and logs ("expired"), and the message a
// publisher's developer reads in the 401.
std::string_view refusal_name(IdentityRefusal refusal);
std::string refusal_message(IdentityRefusal refusal, std::string_view audience);

struct IdentityClaims {
  std::string kid;
  std::string publisher;  // iss, equal to the key's publisher
  std::string subject;    // sub
  std::string jti;
  UnixSeconds issued_at = 0;
  UnixSeconds expires_at = 0;
  std::string name, given_name, family_name, email;  // empty when absent
};

struct VerifierPolicy {
  std::string audience;              // Stork's public origin
  std::int64_t leeway_seconds = 30;
  std::int64_t max_lifetime_seconds = 600;
};

inline constexpr std::size_t kMaxIdentityTokenBytes = 8192;
inline constexpr std::size_t kMaxSubjectBytes = 128;
inline constexpr std::size_t kMaxJtiBytes = 128;

using KeyLookup = std::function<std::optional<PublisherKey>(std::string_view kid)>;

// The kid the token's header names, unverified (empty when unreadable):
// which publisher's key an attempt tries, before it is checked.
std::string unverified_kid(std::string_view token);

std::variant<IdentityClaims, IdentityRefusal> verify_identity_token(std::string_view token,
                                                                    const KeyLookup& keys,
                                                                    const VerifierPolicy& policy,
                                                                    UnixSeconds now);

}  // namespace stork
