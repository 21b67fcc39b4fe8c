#pragma once
// User accounts: who exists and their password hashes.

#include "accounts/password.hpp"
#include "clock.hpp"
#include "storage/database.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace stork {

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string first;
  std::string last;
  bool disabled = false;
};

inline constexpr std::size_t kMaxUsernameBytes = 64;
inline constexpr std::size_t kMaxNameBytes = 100;

// Why a username is refused, or empty: 1..64 bytes of [A-Za-z0-9._-].
std::string username_violation(std::string_view username);
// Why a first or last name is refused, or empty: 1..100 bytes of valid
// UTF-8 without control characters.
std::string name_violation(std::string_view name);

class Accounts {
 public:
  explicit Accounts(Database& db) : db_(db) {}

  std::optional<User> find(std::string_view username);
  std::optional<User> find(std::int64_t id);

  // The stored PHC string, for verification; nullopt for unknown users.
  std::optional<std::string> password_hash(std::int64_t user_id);

  // Adds a user; nullopt when the username is taken.
  std::optional<User> add(const std::string& username, const std::string& first,
                          const std::string& last, const std::string& password_hash,
                          UnixSeconds now);

  void set_password_hash(std::int64_t user_id, const std::string& password_hash);
  void set_disabled(std::int64_t user_id, bool disabled);

 private:
  Database& db_;
};

}  // namespace stork
