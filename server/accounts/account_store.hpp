#pragma once
// Where user accounts live: who exists, their password hashes, and the
// credential version that ties every session to the credentials it was
// made with. Every backend passes tests/unit/account_store_contract.hpp.

#include "clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stork {

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string first;
  std::string last;
  bool disabled = false;
  // Raised by every password change and every disable: a sign-in that read
  // the credentials at an older version must not start a session (see
  // AccountStore::lock_credential_version).
  std::int64_t credential_version = 0;
};

struct NewUser {
  std::string username;
  std::string first;
  std::string last;
  std::string password_hash;  // argon2id PHC string
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // By username, compared without regard to ASCII case (usernames are
  // unique that way, so "Alice" and "alice" are one account).
  virtual std::optional<User> find(std::string_view username) = 0;
  virtual std::optional<User> find(std::int64_t id) = 0;

  // The stored PHC string, for verification; nullopt for unknown users.
  virtual std::optional<std::string> password_hash(std::int64_t user_id) = 0;

  // Adds a user; nullopt when the username is taken (in any case).
  virtual std::optional<User> add(const NewUser& user, UnixSeconds now) = 0;

  // Both raise the credential version. False for an unknown user.
  virtual bool set_password_hash(std::int64_t user_id, const std::string& password_hash) = 0;
  virtual bool set_disabled(std::int64_t user_id, bool disabled) = 0;

  // Re-hashing with stronger parameters after a sign-in: the same password,
  // so the credential version stays.
  virtual void upgrade_password_hash(std::int64_t user_id, const std::string& password_hash) = 0;

  // Inside a UnitOfWork: the user's current credential version, with the
  // user's row locked against changes until the unit commits (PostgreSQL:
  // FOR SHARE; SQLite: the write transaction already excludes writers).
  // nullopt when the user is gone or disabled. A sign-in calls this in the
  // same unit as its session insert, so a password change either commits
  // first (the version differs: no session) or waits for the insert and
  // then ends that session too.
  virtual std::optional<std::int64_t> lock_credential_version(std::int64_t user_id) = 0;
};

// Why a username is refused, or empty: 1..64 bytes of [A-Za-z0-9._-].
std::string username_violation(std::string_view username);
// Why a first or last name is refused, or empty: 1..100 bytes of valid
// UTF-8 without control characters.
std::string name_violation(std::string_view name);

inline constexpr std::size_t kMaxUsernameBytes = 64;
inline constexpr std::size_t kMaxNameBytes = 100;

}  // namespace stork
