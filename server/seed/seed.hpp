#pragma once
// The benchmark workload's data set (deterministic), plus the demo
// product and the demo user, on whichever backend --db names.

#include "accounts/password.hpp"
#include "seed/seed_store.hpp"
#include "storage/backend.hpp"

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

// The data set for options, passwords hashed (the slow part: spread over
// options.threads). Pure apart from the hashing salt: the same rows on
// every machine.
SeedData workload_data(const SeedOptions& options, UnixSeconds now, const SeedProgress& hashing);

// workload_data, loaded in one transaction, and the demo product.
void seed_workload(Backend& backend, const SeedOptions& options, UnixSeconds now,
                   const SeedProgress& hashing, const LoadProgress& loading = {});

// The demo camera, product 1337; left alone if it exists.
void seed_demo_product(Backend& backend);

// Registers publisher "demo" at origin; idempotent.
void seed_demo_publisher(Backend& backend, const std::string& origin, UnixSeconds now);

// Creates johndoe (John Doe) or resets his password; returns the password.
std::string reset_demo_user(Backend& backend, const Argon2Params& argon2, UnixSeconds now);

}  // namespace stork
