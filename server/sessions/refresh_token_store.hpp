#pragma once
// Where refresh tokens live (as hashes). A family is one kept sign-in,
// named by its session's public id; each rotation spends the family's
// current token and adds the next. Every backend must pass
// tests/unit/refresh_token_store_contract.hpp.

#include "clock.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace stork {

struct RefreshRecord {
  std::string token_hash;
  std::string family_id;  // the session's public id
  std::int64_t user_id = 0;
  UnixSeconds issued_at = 0;
  std::optional<UnixSeconds> spent_at;  // nullopt: the family's current token
};

class RefreshTokenStore {
 public:
  virtual ~RefreshTokenStore() = default;

  // Adds the first token of a family.
  virtual void insert(const RefreshRecord& record) = 0;

  virtual std::optional<RefreshRecord> find(const std::string& token_hash) = 0;

  // Marks the token spent and adds its successor to the same family, as
  // one atomic step; false (and nothing changed) when the token is unknown
  // or already spent: of two concurrent rotations exactly one wins.
  virtual bool rotate(const std::string& spent_hash, const RefreshRecord& successor,
                      UnixSeconds now) = 0;

  // Removes every token of the family. Returns how many.
  virtual std::size_t remove_family(const std::string& family_id) = 0;

  // Removes every token of the user (password change, account removal).
  virtual std::size_t remove_all_of_user(std::int64_t user_id) = 0;

  // Removes tokens issued at or before `issued_before`: no session lives
  // that long, so neither rotation nor reuse detection needs them.
  virtual std::size_t purge_issued_before(UnixSeconds issued_before) = 0;
};

}  // namespace stork
