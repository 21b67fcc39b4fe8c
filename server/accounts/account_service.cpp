#include "accounts/account_service.hpp"

#include "accounts/password.hpp"

namespace stork {
namespace {

PasswordCheck check_of(const LoginResult& r) {
  switch (r.outcome) {
    case LoginOutcome::ok: return PasswordCheck::ok;
    case LoginOutcome::throttled: return PasswordCheck::throttled;
    case LoginOutcome::busy: return PasswordCheck::busy;
    case LoginOutcome::invalid_credentials: return PasswordCheck::wrong;
  }
  return PasswordCheck::wrong;
}

}  // namespace

std::size_t AccountService::replace_credentials(std::int64_t user_id, const std::string& hash,
                                                const std::string& keep_token_hash) {
  accounts_.set_password_hash(user_id, hash);
  const std::size_t ended = sessions_.store().remove_all_of_user(user_id, keep_token_hash);
  if (keep_token_hash.empty()) refresh_tokens_.forget_all_of_user(user_id);
  return ended;
}

PasswordChangeResult AccountService::change_password(const User& user,
                                                     const ResolvedSession& current,
                                                     const std::string& old_password,
                                                     const std::string& new_password,
                                                     const ClientContext& client,
                                                     UnixSeconds now) {
  PasswordChangeResult result;
  const LoginResult verified = logins_.reverify(user, old_password, client, now);
  result.check = check_of(verified);
  result.retry_after_seconds = verified.retry_after_seconds;
  if (result.check != PasswordCheck::ok) return result;
  if (auto why = password_policy_violation(new_password, user.username); !why.empty()) {
    result.check = PasswordCheck::weak_password;
    result.message = std::move(why);
    return result;
  }
  const auto hash = logins_.hash(new_password);
  if (!hash) {
    result.check = PasswordCheck::busy;
    result.retry_after_seconds = 1;
    return result;
  }
  unit_.run([&] {
    replace_credentials(user.id, *hash, current.token_hash);
    result.rotated = sessions_.rotate(current, now);
  });
  return result;
}

std::optional<std::size_t> AccountService::set_password(const User& user,
                                                        const std::string& new_password,
                                                        std::string& message) {
  message = password_policy_violation(new_password, user.username);
  if (!message.empty()) return std::nullopt;
  const auto hash = logins_.hash(new_password);
  if (!hash) {
    message = "Too many passwords are being hashed at once; try again.";
    return std::nullopt;
  }
  std::size_t ended = 0;
  unit_.run([&] { ended = replace_credentials(user.id, *hash, {}); });
  return ended;
}

bool AccountService::set_disabled(std::int64_t user_id, bool disabled) {
  bool found = false;
  unit_.run([&] {
    found = accounts_.set_disabled(user_id, disabled);
    if (found && disabled) {
      sessions_.store().remove_all_of_user(user_id, {});
      refresh_tokens_.forget_all_of_user(user_id);
    }
  });
  return found;
}

DeleteResult AccountService::delete_account(const User& user, const std::string& password,
                                            const ClientContext& client, UnixSeconds now) {
  DeleteResult result;
  const LoginResult verified = logins_.reverify(user, password, client, now);
  result.check = check_of(verified);
  result.retry_after_seconds = verified.retry_after_seconds;
  if (result.check == PasswordCheck::ok) erase(user.id);
  return result;
}

bool AccountService::erase(std::int64_t user_id) {
  bool erased = false;
  unit_.run([&] { erased = data_.erase(user_id); });
  return erased;
}

std::optional<AccountExport> AccountService::export_account(std::int64_t user_id,
                                                            UnixSeconds now) {
  auto data = data_.collect(user_id);
  if (!data) return std::nullopt;
  AccountExport out{std::move(*data), {}};
  for (Session& s : sessions_.store().list_of_user(user_id)) {
    if (sessions_.policy().is_live(s, now)) out.sessions.push_back(std::move(s));
  }
  return out;
}

}  // namespace stork
