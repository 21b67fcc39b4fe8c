#pragma once
// What every in-process test server's store holds before its test starts,
// written in one place: products 1..5 and 1337, the publisher "acme" with
// two origins, and the users alice, bob and carol (disabled).

#include "app.hpp"
#include "http_client.hpp"

#include <string>

namespace stork::test {

// The seeded publisher and its two allowed origins.
inline const std::string kPublisherKey = "acme";
inline const std::string kPublisherOrigin = "https://acme.test";
inline const std::string kSecondPublisherOrigin = "https://shop.acme.test";
// An origin no publisher has.
inline const std::string kForeignOrigin = "https://evil.test";

inline const std::string kAlicePassword = "alice-password-1";
inline const std::string kBobPassword = "bob-password-1";
inline const std::string kCarolPassword = "carol-password-1";  // carol is disabled

// Writes the above into app's store, unless a server sharing it did already.
void seed_store(App& app);

}  // namespace stork::test
