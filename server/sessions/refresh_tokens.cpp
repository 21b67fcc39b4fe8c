#include "sessions/refresh_tokens.hpp"

#include "sessions/token.hpp"

namespace stork {

KeptSignIn RefreshTokens::start(std::int64_t user_id, const SessionOrigin& origin, UnixSeconds now) {
  KeptSignIn kept;
  kept.session = sessions_.start_kept(user_id, origin, now);
  kept.refresh = new_session_token();
  store_.insert({hash_token(kept.refresh), kept.session.session.public_id, user_id, now, std::nullopt});
  return kept;
}

RefreshResult RefreshTokens::refresh(const std::string& presented, UnixSeconds now) {
  if (!is_well_formed_token(presented)) return {RefreshOutcome::invalid, std::nullopt};
  const std::string presented_hash = hash_token(presented);
  const auto record = store_.find(presented_hash);
  if (!record) return {RefreshOutcome::invalid, std::nullopt};
  if (record->spent_at) {
    // Whoever holds the newer token and whoever replayed this one cannot be
    // told apart: the sign-in ends for both.
    end_family(*record);
    return {RefreshOutcome::reused, std::nullopt};
  }
  KeptSignIn kept;
  kept.refresh = new_session_token();
  const RefreshRecord successor{hash_token(kept.refresh), record->family_id, record->user_id, now,
                                std::nullopt};
  if (!store_.rotate(presented_hash, successor, now)) {
    // Spent by a concurrent request a moment ago: a replay as well.
    end_family(*record);
    return {RefreshOutcome::reused, std::nullopt};
  }
  auto reissued = sessions_.reissue(record->user_id, record->family_id, now);
  if (!reissued) {
    store_.remove_family(record->family_id);
    return {RefreshOutcome::ended, std::nullopt};
  }
  kept.session = std::move(*reissued);
  return {RefreshOutcome::ok, std::move(kept)};
}

void RefreshTokens::forget(const std::string& session_public_id) {
  store_.remove_family(session_public_id);
}

void RefreshTokens::forget_all_of_user(std::int64_t user_id) { store_.remove_all_of_user(user_id); }

std::size_t RefreshTokens::purge(UnixSeconds now) {
  const SessionPolicy& policy = sessions_.policy();
  const std::int64_t longest = policy.absolute_seconds_remember > policy.absolute_seconds_browser
                                   ? policy.absolute_seconds_remember
                                   : policy.absolute_seconds_browser;
  return store_.purge_issued_before(now - longest);
}

void RefreshTokens::end_family(const RefreshRecord& record) {
  sessions_.store().remove_by_public_id(record.user_id, record.family_id);
  store_.remove_family(record.family_id);
}

}  // namespace stork
