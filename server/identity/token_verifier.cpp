#include "identity/token_verifier.hpp"

#include "identity/jws.hpp"
#include "text/utf8.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace stork {
namespace {

using nlohmann::json;

// NumericDates beyond this are nonsense here, and keeping them small keeps
// every sum below from overflowing.
constexpr std::int64_t kMaxNumericDate = 1LL << 40;

std::optional<json> json_object(std::string_view encoded) {
  const auto bytes = base64url_decode(encoded);
  if (!bytes) return std::nullopt;
  json j = json::parse(*bytes, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

// nullopt: absent. A present value of another type is malformed.
struct Field {
  bool present = false;
  bool wrong_type = false;
  std::string text;
};

Field string_field(const json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end()) return {};
  if (!it->is_string()) return {true, true, {}};
  return {true, false, it->get<std::string>()};
}

std::optional<std::int64_t> numeric_date(const json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxNumericDate)) {
    return std::nullopt;
  }
  const auto value = it->get<std::int64_t>();
  if (value < 0 || value > kMaxNumericDate) return std::nullopt;
  return value;
}

// Text Stork keeps or compares: valid UTF-8 without control characters.
bool is_plain_text(std::string_view s) {
  if (!is_valid_utf8(s)) return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

bool audience_matches(const json& claims, std::string_view audience) {
  const auto it = claims.find("aud");
  if (it == claims.end()) return false;
  if (it->is_string()) return it->get<std::string>() == audience;
  if (!it->is_array()) return false;
  return std::any_of(it->begin(), it->end(), [&](const json& a) {
    return a.is_string() && a.get<std::string>() == audience;
  });
}

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

std::string_view refusal_name(IdentityRefusal refusal) {
  switch (refusal) {
    case IdentityRefusal::malformed: return "malformed";
    case IdentityRefusal::alg_none: return "alg_none";
    case IdentityRefusal::alg_mismatch: return "alg_mismatch";
    case IdentityRefusal::unknown_key: return "unknown_key";
    case IdentityRefusal::bad_signature: return "bad_signature";
    case IdentityRefusal::wrong_issuer: return "wrong_issuer";
    case IdentityRefusal::wrong_audience: return "wrong_audience";
    case IdentityRefusal::lifetime_too_long: return "lifetime_too_long";
    case IdentityRefusal::expired: return "expired";
    case IdentityRefusal::not_yet_valid: return "not_yet_valid";
    case IdentityRefusal::bad_subject: return "bad_subject";
    case IdentityRefusal::missing_jti: return "missing_jti";
    case IdentityRefusal::replayed: return "replayed";
    case IdentityRefusal::wrong_origin: return "wrong_origin";
    case IdentityRefusal::account_disabled: return "account_disabled";
  }
  return "refused";
}

std::string refusal_message(IdentityRefusal refusal, std::string_view audience) {
  switch (refusal) {
    case IdentityRefusal::malformed:
      return "malformed: not a compact JWS with a JSON header and claims (iat and exp integers, "
             "text where text is expected), or longer than 8192 bytes.";
    case IdentityRefusal::alg_none: return "alg none: unsigned tokens are refused.";
    case IdentityRefusal::alg_mismatch: return "alg mismatch: the header's alg is not the algorithm of the key named by kid.";
    case IdentityRefusal::unknown_key: return "unknown key: no key with this kid (see stork publisher key list).";
    case IdentityRefusal::bad_signature: return "bad signature: the signature does not verify with the key named by kid.";
    case IdentityRefusal::wrong_issuer: return "wrong issuer: iss must be the publisher key the kid belongs to.";
    case IdentityRefusal::wrong_audience: return "wrong audience: aud must be " + std::string(audience) + ".";
    case IdentityRefusal::lifetime_too_long: return "lifetime too long: exp may be at most 600 seconds after iat.";
    case IdentityRefusal::expired: return "expired: exp has passed (30 seconds of leeway).";
    case IdentityRefusal::not_yet_valid: return "not yet valid: iat or nbf is in the future (30 seconds of leeway).";
    case IdentityRefusal::bad_subject: return "bad subject: sub must be text of 1 to 128 bytes.";
    case IdentityRefusal::missing_jti: return "missing jti: each token needs a unique jti of 1 to 128 bytes.";
    case IdentityRefusal::replayed: return "replayed: this jti was used already; mint a new token for each sign-in.";
    case IdentityRefusal::wrong_origin:
      return "wrong origin: the page that passed the token is not an origin registered for the token's publisher.";
    case IdentityRefusal::account_disabled: return "account disabled: this reader's account was disabled on Stork.";
  }
  return "refused";
}

std::string unverified_kid(std::string_view token) {
  if (token.size() > kMaxIdentityTokenBytes) return {};
  const auto header = json_object(token.substr(0, token.find('.')));
  if (!header) return {};
  const Field kid = string_field(*header, "kid");
  return kid.wrong_type ? std::string() : kid.text;
}

std::variant<IdentityClaims, IdentityRefusal> verify_identity_token(std::string_view token,
                                                                    const KeyLookup& keys,
                                                                    const VerifierPolicy& policy,
                                                                    UnixSeconds now) {
  using R = IdentityRefusal;
  if (token.empty() || token.size() > kMaxIdentityTokenBytes) return R::malformed;
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
    return R::malformed;
  }
  const std::string_view signing_input = token.substr(0, dot2);
  const auto header = json_object(token.substr(0, dot1));
  const auto signature = base64url_decode(token.substr(dot2 + 1));
  if (!header || !signature) return R::malformed;

  // The header only says which key; the key says which algorithm.
  const Field alg = string_field(*header, "alg");
  if (!alg.present || alg.wrong_type) return R::malformed;
  if (lowercase(alg.text) == "none") return R::alg_none;
  if (header->contains("crit")) return R::malformed;  // extensions we do not understand (RFC 7515 4.1.11)
  const Field kid = string_field(*header, "kid");
  if (!kid.present || kid.wrong_type || !kid_violation(kid.text).empty()) return R::unknown_key;
  const auto key = keys(kid.text);
  if (!key) return R::unknown_key;
  if (alg.text != alg_name(key->alg)) return R::alg_mismatch;
  const bool signed_by_key = key->alg == JwsAlg::es256
                                 ? verify_es256(key->material, signing_input, *signature)
                                 : verify_hs256(key->material, signing_input, *signature);
  if (!signed_by_key) return R::bad_signature;

  // Only a payload the publisher signed is read at all.
  const auto claims = json_object(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!claims) return R::malformed;
  const Field iss = string_field(*claims, "iss");
  if (iss.wrong_type || iss.text != key->publisher) return R::wrong_issuer;
  if (!audience_matches(*claims, policy.audience)) return R::wrong_audience;
  const auto iat = numeric_date(*claims, "iat");
  const auto exp = numeric_date(*claims, "exp");
  if (!iat || !exp || *exp < *iat) return R::malformed;
  if (*exp - *iat > policy.max_lifetime_seconds) return R::lifetime_too_long;
  if (now >= *exp + policy.leeway_seconds) return R::expired;
  if (*iat > now + policy.leeway_seconds) return R::not_yet_valid;
  if (claims->contains("nbf")) {
    const auto nbf = numeric_date(*claims, "nbf");
    if (!nbf) return R::malformed;
    if (*nbf > now + policy.leeway_seconds) return R::not_yet_valid;
  }
  const Field sub = string_field(*claims, "sub");
  if (sub.wrong_type || sub.text.empty() || sub.text.size() > kMaxSubjectBytes || !is_plain_text(sub.text)) {
    return R::bad_subject;
  }
  const Field jti = string_field(*claims, "jti");
  if (jti.wrong_type || jti.text.empty()) return R::missing_jti;
  if (jti.text.size() > kMaxJtiBytes || !is_plain_text(jti.text)) return R::malformed;

  IdentityClaims out;
  out.kid = kid.text;
  out.publisher = iss.text;
  out.subject = sub.text;
  out.jti = jti.text;
  out.issued_at = *iat;
  out.expires_at = *exp;
  std::string* optional_text[] = {&out.name, &out.given_name, &out.family_name, &out.email};
  const char* optional_names[] = {"name", "given_name", "family_name", "email"};
  for (std::size_t i = 0; i < 4; ++i) {
    const Field f = string_field(*claims, optional_names[i]);
    if (f.wrong_type) return R::malformed;
    *optional_text[i] = f.text;
  }
  return out;
}

}  // namespace stork
