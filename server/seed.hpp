#pragma once
// The benchmark workload's data set (deterministic), plus the demo
// publisher and the demo user.

#include "accounts/password.hpp"
#include "storage/database.hpp"

#include <functional>
#include <string>

namespace stork {

struct SeedOptions {
  int users = 10000;
  int products = 1000;
  int ratings = 50000;
  int wishlist = 20000;
  Argon2Params argon2;
  unsigned threads = 0;  // 0: one per core
};

// Called as hashing proceeds: (done, total).
using SeedProgress = std::function<void(int done, int total)>;

void seed_workload(Database& db, const SeedOptions& options, const SeedProgress& progress);

// The demo camera, product 1337; idempotent.
void seed_demo_product(Database& db);

// Registers publisher "demo" at http://127.0.0.1:8081 (and origin_override
// if given), idempotent.
void seed_demo_publisher(Database& db, const std::string& origin);

// Creates johndoe (John Doe) or resets his password; returns the password.
std::string reset_demo_user(Database& db, const Argon2Params& argon2);

}  // namespace stork
