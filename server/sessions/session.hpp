#pragma once

#include "clock.hpp"

#include <cstdint>
#include <string>

namespace stork {

// A server-side session as the store keeps it. The token itself is never
// part of it: the store is keyed by the token's hash.
struct Session {
  std::string public_id;
  std::int64_t user_id = 0;
  UnixSeconds created_at = 0;
  UnixSeconds last_seen_at = 0;
  UnixSeconds absolute_expires_at = 0;
  bool remember = false;
  std::string user_agent;
  std::string publisher;  // key of the publisher it was created under
  std::string top_site;   // top-level site it was created under
  // When this session's token stops being accepted, though the session
  // lives on: a sign-in kept by a refresh token gets a new short-lived
  // token at each refresh. 0: the token lives as long as the session.
  UnixSeconds token_expires_at = 0;
};

}  // namespace stork
