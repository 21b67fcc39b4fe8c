#pragma once
// A visitor's credentials and account as a whole: change the password,
// have it set (operator, reset link), be disabled, take the data along
// (export), or leave (delete). HTTP handlers and CLI commands call these
// and nothing else: the operator's `stork user remove` erases through the
// same function as the visitor's "Delete my account", and `stork user
// passwd` ends sessions exactly as a password change in the widget does.

#include "accounts/account_store.hpp"
#include "accounts/login_service.hpp"
#include "accounts/personal_data_store.hpp"
#include "sessions/refresh_tokens.hpp"
#include "sessions/session_service.hpp"
#include "storage/unit_of_work.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stork {

struct AccountExport {
  PersonalData data;
  std::vector<Session> sessions;  // live ones, newest first
};

enum class PasswordCheck { ok, wrong, throttled, busy, weak_password };

struct PasswordChangeResult {
  PasswordCheck check = PasswordCheck::wrong;  // ok: changed
  std::int64_t retry_after_seconds = 0;
  std::string message;  // weak_password: why
  std::optional<StartedSession> rotated;  // ok: the caller's session under a new token
};

struct DeleteResult {
  PasswordCheck check = PasswordCheck::wrong;  // ok: the account is gone
  std::int64_t retry_after_seconds = 0;
};

class AccountService {
 public:
  AccountService(UnitOfWork& unit, AccountStore& accounts, PersonalDataStore& data,
                 SessionService& sessions, RefreshTokens& refresh_tokens, LoginService& logins)
      : unit_(unit),
        accounts_(accounts),
        data_(data),
        sessions_(sessions),
        refresh_tokens_(refresh_tokens),
        logins_(logins) {}

  // The visitor changes the password, re-entering the current one (through
  // the sign-in throttle). Every other session ends; the caller's continues
  // under a new token. One unit of work.
  PasswordChangeResult change_password(const User& user, const ResolvedSession& current,
                                       const std::string& old_password,
                                       const std::string& new_password,
                                       const ClientContext& client, UnixSeconds now);

  // The operator sets a password (`stork user passwd`): the policy applies,
  // every session ends. How many ended; nullopt: weak (message set) or busy.
  std::optional<std::size_t> set_password(const User& user, const std::string& new_password,
                                          std::string& message);

  // Disabling ends every session; re-enabling starts none. False for an unknown user.
  bool set_disabled(std::int64_t user_id, bool disabled);

  // The visitor deletes their own account, re-entering the password (a
  // stolen session alone cannot). Wrong passwords count towards the same
  // throttle as sign-in.
  DeleteResult delete_account(const User& user, const std::string& password,
                              const ClientContext& client, UnixSeconds now);

  // Erases an account and everything of it in one transaction (see
  // PersonalDataStore::erase). False for an unknown user.
  bool erase(std::int64_t user_id);

  std::optional<AccountExport> export_account(std::int64_t user_id, UnixSeconds now);

 private:
  // In the caller's unit of work: the new hash (a new credential version)
  // and no session left but `keep_token_hash`'s.
  std::size_t replace_credentials(std::int64_t user_id, const std::string& hash,
                           const std::string& keep_token_hash);

  UnitOfWork& unit_;
  AccountStore& accounts_;
  PersonalDataStore& data_;
  SessionService& sessions_;
  RefreshTokens& refresh_tokens_;
  LoginService& logins_;
};

}  // namespace stork
