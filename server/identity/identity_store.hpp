#pragma once
// Where publisher-asserted identity lives: the publishers' keys, the token
// ids already used, and the accounts that (publisher, sub) names. Every
// backend passes tests/unit/identity_store_contract.hpp.

#include "clock.hpp"
#include "identity/publisher_key.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stork {

enum class KeyAdded { added, kid_taken, no_such_publisher };

// Who a publisher says its reader is, with the names to show.
struct AssertedReader {
  std::string publisher;
  std::string subject;
  std::string first;  // already fit for a name (accounts/name_violation)
  std::string last;   // may be empty
};

class IdentityStore {
 public:
  virtual ~IdentityStore() = default;

  virtual KeyAdded add_key(const PublisherKey& key) = 0;
  virtual std::optional<PublisherKey> find_key(std::string_view kid) = 0;
  // One publisher's keys, oldest first; every publisher's when empty.
  virtual std::vector<PublisherKey> list_keys(std::string_view publisher = {}) = 0;
  virtual bool remove_key(std::string_view kid) = 0;

  // True the first time this publisher's jti is claimed: one statement, so
  // two processes presenting the same token at once see one true. The row
  // stays until purge_jtis passes expires_at.
  virtual bool claim_jti(std::string_view publisher, std::string_view jti, UnixSeconds expires_at) = 0;
  virtual std::size_t purge_jtis(UnixSeconds now) = 0;

  // The user id of the account (publisher, subject) names, created on
  // first sight (one statement: concurrent first sign-ins make one
  // account), its names set from the reader. The account belongs to that
  // publisher only, goes when the publisher is removed, and has no
  // password. nullopt when the publisher does not exist.
  virtual std::optional<std::int64_t> account_for(const AssertedReader& reader, UnixSeconds now) = 0;

  // The publisher an account was asserted by; nullopt for accounts with a
  // password (and unknown users).
  virtual std::optional<std::string> asserted_by(std::int64_t user_id) = 0;
};

// What an asserted account has instead of a PHC string: no password
// verifies against it (libsodium refuses to parse it).
inline constexpr const char* kNoPassword = "!asserted";

// The username an asserted account gets: "~", the publisher, "~", and 16
// hex digits of a hash of the subject. '~' is outside the username
// alphabet, so no sign-up can take it and it reveals nothing of the sub.
std::string asserted_username(std::string_view publisher, std::string_view subject);

}  // namespace stork
