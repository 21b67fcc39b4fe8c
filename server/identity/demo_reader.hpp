#pragma once
// The demo publisher's backend, in miniature: Shutterbug Weekly has a
// reader account of its own ("Jane Reader") and, like a real publisher's
// server, signs that reader's identity tokens with a private key whose
// public half is registered for the demo publisher. The key is made when
// the demo site starts and lives in memory only.
//
// Tokens are minted with libjwt, as a publisher's backend would with its
// own library; Stork's verifier (token_verifier.hpp) does not use it.

#include "clock.hpp"
#include "identity/identity_store.hpp"

#include <optional>
#include <string>

namespace stork {

struct DemoReader {
  std::string sub = "jane";
  std::string given_name = "Jane";
  std::string family_name = "Reader";
};

class DemoReaderBackend {
 public:
  static constexpr const char* kKid = "demo-site";

  // Registers a fresh key as kid "demo-site" of `publisher`, replacing the
  // one of an earlier run. Without that publisher the backend mints nothing.
  DemoReaderBackend(IdentityStore& store, std::string publisher, std::string audience);

  bool ready() const { return !private_pem_.empty(); }
  // A token for the reader, valid five minutes from now; nullopt when not ready.
  std::optional<std::string> mint(const DemoReader& reader, UnixSeconds now) const;

 private:
  std::string publisher_;
  std::string audience_;
  std::string private_pem_;
};

}  // namespace stork
