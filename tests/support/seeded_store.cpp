#include "seeded_store.hpp"

#include "accounts/password.hpp"
#include "seed/seed.hpp"
#include "test_support.hpp"

#include <stdexcept>

namespace stork::test {

void seed_store(App& app) {
  if (app.accounts.find("alice")) return;  // a store shared with an earlier server
  const UnixSeconds now = app.clock.now();
  SeedOptions options;
  options.users = 0;
  options.products = 5;
  options.ratings = 0;
  options.wishlist = 0;
  options.threads = 1;
  seed_workload(*app.backend, options, now, nullptr);  // products 1..5 and 1337
  // Hashed at the cheapest cost whatever the server's: verification reads
  // the cost from the hash.
  const Argon2Params params = cheap_argon2();
  const auto alice = app.accounts.add({"alice", "Alice", "Archer", hash_password(kAlicePassword, params)}, now);
  const auto bob = app.accounts.add({"bob", "Bob", "Brook", hash_password(kBobPassword, params)}, now);
  const auto carol = app.accounts.add({"carol", "Carol", "Cole", hash_password(kCarolPassword, params)}, now);
  if (!alice || !bob || !carol) throw std::runtime_error("cannot seed the test users");
  app.accounts.set_disabled(carol->id, true);
  app.backend->publishers().add(kPublisherKey, "Acme News", {kPublisherOrigin, kSecondPublisherOrigin}, now);
  app.publishers.refresh();
}

}  // namespace stork::test
