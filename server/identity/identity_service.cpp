#include "identity/identity_service.hpp"

#include "publishers/origin.hpp"

namespace stork {
namespace {

std::string fit_name(std::string_view text) {
  std::string out;
  for (const char c : text) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
  }
  if (out.size() > kMaxNameBytes) {
    std::size_t cut = kMaxNameBytes;
    // Back off to the first byte of a UTF-8 sequence (claims are valid UTF-8).
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  out.erase(0, first);
  out.erase(out.find_last_not_of(' ') + 1);
  return out;
}

}  // namespace

AssertedReader reader_from(const IdentityClaims& claims) {
  AssertedReader reader{claims.publisher, claims.subject, {}, {}};
  if (!fit_name(claims.given_name).empty() || !fit_name(claims.family_name).empty()) {
    reader.first = fit_name(claims.given_name);
    reader.last = fit_name(claims.family_name);
  } else {
    reader.first = fit_name(claims.name);
  }
  if (reader.first.empty()) reader.first = "Reader";
  return reader;
}

IdentityResult IdentityService::sign_in(const IdentityAttempt& attempt, UnixSeconds now) {
  // The key is read once: its publisher picks the count, and it verifies.
  const std::string kid = unverified_kid(attempt.token);
  std::optional<PublisherKey> key;
  if (!kid.empty() && kid_violation(kid).empty()) key = store_.find_key(kid);
  const auto keys = IdentityAttemptKeys::of(std::string(attempt.client_address), key ? key->publisher : "");
  if (const std::int64_t wait = throttle_.admit(keys, now); wait > 0) return IdentityThrottled{wait};
  auto result = check(attempt, key, now);
  throttle_.settle(keys, std::holds_alternative<IdentityRefusal>(result), now);
  if (auto* refusal = std::get_if<IdentityRefusal>(&result)) return *refusal;
  return std::get<AssertedSignIn>(std::move(result));
}

std::variant<AssertedSignIn, IdentityRefusal> IdentityService::check(const IdentityAttempt& attempt,
                                                                     const std::optional<PublisherKey>& key,
                                                                     UnixSeconds now) {
  const auto verified = verify_identity_token(
      attempt.token,
      [&key](std::string_view kid) { return key && key->kid == kid ? key : std::nullopt; },
      policy_, now);
  if (const auto* refusal = std::get_if<IdentityRefusal>(&verified)) return *refusal;
  const auto& claims = std::get<IdentityClaims>(verified);
  if (!attempt.page_origin.empty()) {
    const auto origin = normalize_origin(std::string(attempt.page_origin));
    if (!origin || !publisher_of_origin_ || publisher_of_origin_(*origin) != claims.publisher) {
      return IdentityRefusal::wrong_origin;
    }
  }
  // Claimed before anything else changes: a replayed token changes nothing.
  // Kept past exp by the leeway, so the token is refused as expired or as
  // replayed, never accepted twice.
  if (!store_.claim_jti(claims.publisher, claims.jti, claims.expires_at + policy_.leeway_seconds)) {
    return IdentityRefusal::replayed;
  }
  const auto user_id = store_.account_for(reader_from(claims), now);
  // The key's publisher exists (the key references it), unless it was
  // removed this instant; its key went with it.
  if (!user_id) return IdentityRefusal::unknown_key;
  const auto user = accounts_.find(*user_id);
  if (!user) return IdentityRefusal::unknown_key;
  if (user->disabled) return IdentityRefusal::account_disabled;
  return AssertedSignIn{*user, claims.publisher};
}

}  // namespace stork
