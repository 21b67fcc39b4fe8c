#pragma once
// The sign-in of a reader whom a publisher vouches for: the token is
// verified, its jti claimed (once, across processes), and (publisher, sub)
// mapped to that publisher's account, created on first sight, its names
// refreshed from the claims. HTTP and anything else call this one function.
//
// The session itself starts where every sign-in's does (http/sign_in.hpp
// today), so that password, sign-up and identity sign-ins get the same
// cookies, tokens and session rules.

#include "accounts/account_store.hpp"
#include "identity/identity_store.hpp"
#include "identity/identity_throttle.hpp"
#include "identity/token_verifier.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace stork {

struct AssertedSignIn {
  User user;
  std::string publisher;
};

struct IdentityAttempt {
  std::string_view token;
  // The origin of the page that handed the widget the token, as the
  // widget saw it (postMessage's event.origin); empty when not passed
  // through a page. A token that leaked to another site is refused there.
  std::string_view page_origin;
  // The client's address, as for a password attempt (after --trusted-proxy).
  std::string_view client_address;
};

// Too many refused tokens from this address or for this publisher.
struct IdentityThrottled {
  std::int64_t retry_after_seconds = 0;
};

using IdentityResult = std::variant<AssertedSignIn, IdentityRefusal, IdentityThrottled>;

// The key of the publisher that registered this (normalized) origin.
using PublisherOfOrigin = std::function<std::optional<std::string>(const std::string& origin)>;

class IdentityService {
 public:
  IdentityService(IdentityStore& store, AccountStore& accounts, IdentityThrottle throttle,
                  PublisherOfOrigin publisher_of_origin, VerifierPolicy policy)
      : store_(store),
        accounts_(accounts),
        throttle_(throttle),
        publisher_of_origin_(std::move(publisher_of_origin)),
        policy_(std::move(policy)) {}

  // Admitted by the throttle, checked, and settled: every refusal counts
  // as a failure (identity/identity_throttle.hpp).
  IdentityResult sign_in(const IdentityAttempt& attempt, UnixSeconds now);

  // The publisher that asserted this account; nullopt for password accounts.
  std::optional<std::string> asserted_by(std::int64_t user_id) { return store_.asserted_by(user_id); }

  const VerifierPolicy& policy() const { return policy_; }
  IdentityStore& store() { return store_; }

 private:
  IdentityStore& store_;
  std::variant<AssertedSignIn, IdentityRefusal> check(const IdentityAttempt& attempt,
                                                       const std::optional<PublisherKey>& key,
                                                       UnixSeconds now);

  AccountStore& accounts_;
  IdentityThrottle throttle_;
  PublisherOfOrigin publisher_of_origin_;
  VerifierPolicy policy_;
};

// The account's names from the optional claims: given_name and
// family_name, else name, else "Reader"; control characters made spaces and
// each cut to 100 bytes on a character boundary. email is not kept.
AssertedReader reader_from(const IdentityClaims& claims);

}  // namespace stork
