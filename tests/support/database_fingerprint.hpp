#pragma once
// A summary of a store's state, to check that a request changed nothing.

#include <string>

namespace stork::test {

// Counts and a checksum of users, sessions, ratings, wishlist and
// products' aggregates, read with a separate connection (db: a --db value).
std::string database_fingerprint(const std::string& db);

}  // namespace stork::test
