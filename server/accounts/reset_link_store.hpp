#pragma once
// One-time password reset links (`stork user reset-link`). Only a hash
// of a link's token is stored; a user has at most one link, so issuing a
// new one voids the old. Every backend passes
// tests/unit/reset_link_store_contract.hpp.

#include "clock.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace stork {

class ResetLinkStore {
 public:
  virtual ~ResetLinkStore() = default;

  // Stores the user's link, replacing any earlier one.
  virtual void put(std::int64_t user_id, const std::string& token_hash, UnixSeconds created_at,
                   UnixSeconds expires_at) = 0;

  // The user of a link that is live at `now`, without using it up.
  virtual std::optional<std::int64_t> user_of(const std::string& token_hash, UnixSeconds now) = 0;

  // Uses the link up, in one transaction: if it is live at `now`, deletes
  // it, sets the user's password hash (raising the credential version, as
  // AccountStore::set_password_hash does) and ends every session of the user.
  // nullopt (and nothing changes) when the link is unknown, used, replaced
  // or expired.
  virtual std::optional<std::int64_t> redeem(const std::string& token_hash,
                                             const std::string& new_password_hash,
                                             UnixSeconds now) = 0;

  // Forgets links that expired; returns how many.
  virtual std::size_t purge(UnixSeconds now) = 0;
};

}  // namespace stork
