#include "seed/seed.hpp"

#include "sessions/token.hpp"

#include <array>
#include <atomic>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

namespace stork {
namespace {

constexpr std::array<const char*, 8> kFirstNames = {"Ada", "Ben", "Cleo", "Dev", "Eva", "Finn", "Gia", "Hugo"};
constexpr std::array<const char*, 8> kLastNames = {"Archer", "Brook", "Cole", "Dane", "Ellis", "Frost", "Grant", "Hale"};
constexpr std::array<const char*, 6> kKinds = {"camera", "lens", "tripod", "bag", "flash", "film"};
constexpr std::array<const char*, 6> kKindNames = {"Camera", "Lens", "Tripod", "Camera Bag", "Flash", "Film Pack"};
constexpr std::array<const char*, 6> kBrands = {"Stork Optics", "Lumen", "Heron", "Kestrel", "Nightjar", "Plover"};

std::string username_of(int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "user%05d", n);
  return buf;
}

std::vector<std::string> hash_passwords(const SeedOptions& options, const SeedProgress& progress) {
  // Hashing dominates (argon2id at production cost): spread it over cores.
  std::vector<std::string> hashes(static_cast<std::size_t>(options.users));
  std::atomic<int> next{0}, done{0};
  const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::jthread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = next++; i < options.users; i = next++) {
        hashes[static_cast<std::size_t>(i)] = hash_password("pw-" + username_of(i + 1), options.argon2);
        const int d = ++done;
        if (progress && (d % 100 == 0 || d == options.users)) progress(d, options.users);
      }
    });
  }
  workers.clear();  // joins
  return hashes;
}

}  // namespace

SeedData workload_data(const SeedOptions& options, UnixSeconds now, const SeedProgress& hashing) {
  SeedData data;
  data.now = now;
  const std::vector<std::string> hashes = hash_passwords(options, hashing);
  for (int i = 0; i < options.users; ++i) {
    const auto n = static_cast<std::size_t>(i + 1);
    data.users.push_back({username_of(i + 1), kFirstNames[n % kFirstNames.size()],
                          std::string(kLastNames[(n / 8) % kLastNames.size()]) + " " + std::to_string(n),
                          hashes[static_cast<std::size_t>(i)]});
  }
  for (int id = 1; id <= options.products; ++id) {
    const auto k = static_cast<std::size_t>(id) % kKinds.size();
    data.products.push_back({id, std::string(kKindNames[k]) + " " + std::to_string(id),
                             kBrands[static_cast<std::size_t>(id / 6) % kBrands.size()], 1999 + (id * 7919) % 150000,
                             "EUR", std::string("/assets/img/") + kKinds[k] + ".svg"});
  }
  if (options.users == 0) return data;
  // Fixed seed: the same data set on every machine.
  std::mt19937_64 rng(20261122);
  std::uniform_int_distribution<int> user(1, options.users), product(1, options.products), stars(1, 5);
  for (int i = 0; i < options.ratings; ++i) {
    const int p = product(rng), s = stars(rng), u = user(rng);
    data.ratings.push_back({username_of(u), p, s});
  }
  for (int i = 0; i < options.wishlist; ++i) {
    const int p = product(rng), u = user(rng);
    data.wishlist.push_back({username_of(u), p});
  }
  return data;
}

void seed_workload(Backend& backend, const SeedOptions& options, UnixSeconds now, const SeedProgress& hashing,
                   const LoadProgress& loading) {
  const SeedData data = workload_data(options, now, hashing);
  backend.translate_errors([&] { backend.seed().load(data, loading); });
  seed_demo_product(backend);
}

void seed_demo_product(Backend& backend) {
  backend.translate_errors([&] {
    ProductStore& products = backend.products();
    if (products.find(1337)) return;
    products.upsert_all({{1337, "Camera Stork X100", "Stork Optics", 49999, "EUR", "/assets/img/camera.svg"}});
  });
}

void seed_demo_publisher(Backend& backend, const std::string& origin, UnixSeconds now) {
  backend.translate_errors([&] { backend.publishers().add("demo", std::nullopt, {origin}, now); });
}

std::string reset_demo_user(Backend& backend, const Argon2Params& argon2, UnixSeconds now) {
  // Readable but random: the demo prints it at start.
  const std::string password = "stork-" + random_hex(6);
  const std::string hash = hash_password(password, argon2);
  backend.translate_errors([&] {
    AccountStore& accounts = backend.accounts();
    if (auto user = accounts.find("johndoe")) {
      accounts.set_password_hash(user->id, hash);
    } else {
      accounts.add({"johndoe", "John", "Doe", hash}, now);
    }
  });
  return password;
}

}  // namespace stork
