#include "identity/identity_store.hpp"

#include <sodium.h>

namespace stork {

std::string asserted_username(std::string_view publisher, std::string_view subject) {
  // The publisher is part of the input too: one sub at two publishers is
  // two people.
  std::string input(publisher);
  input.push_back('\0');
  input.append(subject);
  unsigned char digest[8];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return "~" + std::string(publisher) + "~" + hex;
}

}  // namespace stork
