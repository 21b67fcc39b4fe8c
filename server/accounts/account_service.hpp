#pragma once
// A visitor's own account as a whole: take it with you (export), or leave
// (delete). The operator's `stork user remove` erases through the same
// function as the visitor's "Delete my account".

#include "accounts/accounts.hpp"
#include "accounts/login_service.hpp"
#include "accounts/login_throttle.hpp"
#include "accounts/personal_data_store.hpp"
#include "sessions/session_policy.hpp"
#include "sessions/session_store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace stork {

struct AccountExport {
  PersonalData data;
  std::vector<Session> sessions;  // live ones, newest first
};

enum class PasswordCheck { ok, wrong, throttled, busy };

struct DeleteResult {
  PasswordCheck check = PasswordCheck::wrong;  // ok: the account is gone
  std::int64_t retry_after_seconds = 0;
};

class AccountService {
 public:
  AccountService(PersonalDataStore& data, SessionStore& sessions, const SessionPolicy& policy,
                 LoginService& logins, LoginThrottle& throttle)
      : data_(data), sessions_(sessions), policy_(policy), logins_(logins), throttle_(throttle) {}

  // The visitor deletes their own account, re-entering the password (a
  // stolen session alone cannot). Wrong passwords count towards the same
  // back-off as sign-in.
  DeleteResult delete_account(const User& user, const std::string& password,
                              const std::string& client_address, UnixSeconds now);

  // Erases an account and everything of it in one transaction (see
  // PersonalDataStore::erase). False for an unknown user.
  bool erase(std::int64_t user_id);

  std::optional<AccountExport> export_account(std::int64_t user_id, UnixSeconds now);

 private:
  PasswordCheck check_password(const User& user, const std::string& password,
                               const std::string& client_address, UnixSeconds now,
                               std::int64_t& retry_after);

  PersonalDataStore& data_;
  SessionStore& sessions_;
  const SessionPolicy& policy_;
  LoginService& logins_;
  LoginThrottle& throttle_;
};

}  // namespace stork
