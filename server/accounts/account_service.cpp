#include "accounts/account_service.hpp"

namespace stork {

PasswordCheck AccountService::check_password(const User& user, const std::string& password,
                                             const std::string& client_address, UnixSeconds now,
                                             std::int64_t& retry_after) {
  if (const auto wait = throttle_.wait_seconds(user.username, client_address, now); wait > 0) {
    retry_after = wait;
    return PasswordCheck::throttled;
  }
  const auto verified = logins_.verify(user.id, password);
  if (!verified) {
    retry_after = 1;
    return PasswordCheck::busy;
  }
  if (!*verified) {
    throttle_.record_failure(user.username, client_address, now);
    return PasswordCheck::wrong;
  }
  return PasswordCheck::ok;
}

DeleteResult AccountService::delete_account(const User& user, const std::string& password,
                                            const std::string& client_address, UnixSeconds now) {
  DeleteResult result;
  result.check = check_password(user, password, client_address, now, result.retry_after_seconds);
  if (result.check == PasswordCheck::ok) erase(user.id);
  return result;
}

bool AccountService::erase(std::int64_t user_id) { return data_.erase(user_id); }

std::optional<AccountExport> AccountService::export_account(std::int64_t user_id,
                                                            UnixSeconds now) {
  auto data = data_.collect(user_id);
  if (!data) return std::nullopt;
  AccountExport out{std::move(*data), {}};
  for (Session& s : sessions_.list_of_user(user_id)) {
    if (policy_.is_live(s, now)) out.sessions.push_back(std::move(s));
  }
  return out;
}

}  // namespace stork
