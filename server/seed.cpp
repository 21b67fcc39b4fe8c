#include "seed.hpp"

#include "accounts/sqlite_account_store.hpp"
#include "publishers/publishers.hpp"
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

}  // namespace

void seed_demo_product(Database& db) {
  auto q = db.connection().prepare(
      "INSERT INTO products (id, name, brand, price_cents, currency, image) "
      "VALUES (1337, 'Camera Stork X100', 'Stork Optics', 49999, 'EUR', '/assets/img/camera.svg') "
      "ON CONFLICT(id) DO NOTHING");
  q->exec();
}

void seed_demo_publisher(Database& db, const std::string& origin) {
  PublisherDirectory(db).add("demo", {origin}, unix_now());
}

std::string reset_demo_user(Database& db, const Argon2Params& argon2) {
  // Readable but random: the demo prints it at start.
  const std::string password = "stork-" + random_hex(6);
  SqliteAccountStore accounts(db);
  const std::string hash = hash_password(password, argon2);
  if (auto user = accounts.find("johndoe")) {
    accounts.set_password_hash(user->id, hash);
  } else {
    accounts.add({"johndoe", "John", "Doe", hash}, unix_now());
  }
  return password;
}

void seed_workload(Database& db, const SeedOptions& options, const SeedProgress& progress) {
  const UnixSeconds now = unix_now();
  Connection& conn = db.connection();

  // Hashing dominates (argon2id at production cost): spread it over cores.
  std::vector<std::string> hashes(static_cast<std::size_t>(options.users));
  std::atomic<int> next{0}, done{0};
  const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  {
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
  }

  write_transaction(conn, [&] {
    for (int i = 0; i < options.users; ++i) {
      auto q = conn.prepare(
          "INSERT INTO users (username, first_name, last_name, password_hash, created_at) "
          "VALUES (?, ?, ?, ?, ?) ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash");
      const auto n = static_cast<std::size_t>(i + 1);
      q->bind(1, username_of(i + 1));
      q->bind(2, kFirstNames[n % kFirstNames.size()]);
      q->bind(3, std::string(kLastNames[(n / 8) % kLastNames.size()]) + " " + std::to_string(n));
      q->bind(4, hashes[static_cast<std::size_t>(i)]);
      q->bind(5, now);
      q->exec();
    }
    for (int id = 1; id <= options.products; ++id) {
      const auto k = static_cast<std::size_t>(id) % kKinds.size();
      auto q = conn.prepare(
          "INSERT INTO products (id, name, brand, price_cents, currency, image) VALUES (?, ?, ?, ?, 'EUR', ?) "
          "ON CONFLICT(id) DO NOTHING");
      q->bind(1, id);
      q->bind(2, std::string(kKindNames[k]) + " " + std::to_string(id));
      q->bind(3, kBrands[static_cast<std::size_t>(id / 6) % kBrands.size()]);
      q->bind(4, 1999 + (id * 7919) % 150000);
      q->bind(5, std::string("/assets/img/") + kKinds[k] + ".svg");
      q->exec();
    }
    // Fixed seed: the same data set on every machine.
    std::mt19937_64 rng(20261122);
    std::uniform_int_distribution<int> user(1, options.users), product(1, options.products), stars(1, 5);
    for (int i = 0; i < options.ratings; ++i) {
      auto q = conn.prepare(
          "INSERT INTO ratings (user_id, product_id, stars, updated_at) "
          "SELECT id, ?, ?, ? FROM users WHERE username = ? ON CONFLICT DO NOTHING");
      const int p = product(rng), s = stars(rng), u = user(rng);
      q->bind(1, p);
      q->bind(2, s);
      q->bind(3, now);
      q->bind(4, username_of(u));
      q->exec();
    }
    for (int i = 0; i < options.wishlist; ++i) {
      auto q = conn.prepare(
          "INSERT INTO wishlist (user_id, product_id, created_at) "
          "SELECT id, ?, ? FROM users WHERE username = ? ON CONFLICT DO NOTHING");
      const int p = product(rng), u = user(rng);
      q->bind(1, p);
      q->bind(2, now);
      q->bind(3, username_of(u));
      q->exec();
    }
    conn.db().exec(
        "UPDATE products SET rating_sum = coalesce((SELECT sum(stars) FROM ratings WHERE product_id = products.id), 0), "
        "rating_count = (SELECT count(*) FROM ratings WHERE product_id = products.id)");
  });
  seed_demo_product(db);
}

}  // namespace stork
