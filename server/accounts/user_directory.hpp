#pragma once
// The operator's view of the accounts (`stork user list|show`): who
// exists and how much of Stork they use. Every backend passes
// tests/unit/user_directory_contract.hpp.

#include "clock.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stork {

struct UserSummary {
  std::int64_t id = 0;
  std::string username;
  std::string first;
  std::string last;
  bool disabled = false;
  UnixSeconds created_at = 0;
  std::int64_t sessions = 0;  // stored, live or not yet purged
  std::int64_t ratings = 0;
  std::int64_t wishlist = 0;
};

class UserDirectory {
 public:
  virtual ~UserDirectory() = default;
  // Every account, by username.
  virtual std::vector<UserSummary> list() = 0;
  // One account by its exact username.
  virtual std::optional<UserSummary> show(const std::string& username) = 0;
};

}  // namespace stork
