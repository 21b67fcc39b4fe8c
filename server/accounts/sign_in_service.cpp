#include "accounts/sign_in_service.hpp"

#include "sessions/token.hpp"

namespace stork {

std::optional<SignedIn> SignInService::sign_in(const User& user, const SignInRequest& request,
                                               UnixSeconds now) {
  std::optional<SignedIn> out;
  unit_.run([&] {
    out.reset();
    if (accounts_.lock_credential_version(user.id) != user.credential_version) return;
    for (const std::string& token : request.presented_tokens) sessions_.end(token);
    if (request.kept) {
      KeptSignIn kept = refresh_tokens_.start(user.id, request.origin, now);
      out = SignedIn{std::move(kept.session), std::move(kept.refresh)};
    } else {
      out = SignedIn{sessions_.start(user.id, request.remember, request.origin, now), {}};
    }
  });
  return out;
}

void SignInService::sign_out(const std::vector<std::string>& tokens) {
  unit_.run([&] {
    for (const std::string& token : tokens) {
      if (!is_well_formed_token(token)) continue;
      if (const auto session = sessions_.store().find(hash_token(token))) {
        refresh_tokens_.forget(session->public_id);
      }
      sessions_.end(token);
    }
  });
}

void SignInService::sign_out_everywhere(std::int64_t user_id) {
  unit_.run([&] {
    sessions_.store().remove_all_of_user(user_id, {});
    refresh_tokens_.forget_all_of_user(user_id);
  });
}

bool SignInService::end_session(std::int64_t user_id, const std::string& public_id) {
  bool ended = false;
  unit_.run([&] {
    ended = sessions_.store().remove_by_public_id(user_id, public_id);
    if (ended) refresh_tokens_.forget(public_id);
  });
  return ended;
}

}  // namespace stork
