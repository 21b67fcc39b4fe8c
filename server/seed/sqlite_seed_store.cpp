#include "seed/sqlite_seed_store.hpp"

namespace stork {
namespace {

constexpr std::size_t kProgressEvery = 10'000;

void report(const LoadProgress& progress, const char* what, std::size_t done, std::size_t total) {
  if (progress && (done % kProgressEvery == 0 || done == total)) progress(what, done, total);
}

}  // namespace

void SqliteSeedStore::load(const SeedData& data, const LoadProgress& progress) {
  Connection& conn = db_.connection();
  conn.end_read_transaction();
  // One prepared statement per table, re-bound per row: SQLite inserts
  // hundreds of thousands of rows a second inside one transaction.
  write_transaction(conn, [&] {
    auto user = conn.prepare(
        "INSERT INTO users (username, first_name, last_name, password_hash, created_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash");
    for (std::size_t i = 0; i < data.users.size(); ++i) {
      const SeedUser& u = data.users[i];
      user->reset();
      user->bind(1, u.username);
      user->bind(2, u.first_name);
      user->bind(3, u.last_name);
      user->bind(4, u.password_hash);
      user->bind(5, data.now);
      user->exec();
      report(progress, "users", i + 1, data.users.size());
    }
    auto product = conn.prepare(
        "INSERT INTO products (id, name, brand, price_cents, currency, image) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(id) DO NOTHING");
    for (std::size_t i = 0; i < data.products.size(); ++i) {
      const ProductRow& p = data.products[i];
      product->reset();
      product->bind(1, p.id);
      product->bind(2, p.name);
      product->bind(3, p.brand);
      product->bind(4, p.price_minor);
      product->bind(5, p.currency);
      product->bind(6, p.image);
      product->exec();
      report(progress, "products", i + 1, data.products.size());
    }
    auto rating = conn.prepare(
        "INSERT INTO ratings (user_id, product_id, stars, updated_at) "
        "SELECT u.id, p.id, ?, ? FROM users u, products p WHERE u.username = ? AND p.id = ? "
        "ON CONFLICT DO NOTHING");
    for (std::size_t i = 0; i < data.ratings.size(); ++i) {
      const SeedRating& r = data.ratings[i];
      rating->reset();
      rating->bind(1, r.stars);
      rating->bind(2, data.now);
      rating->bind(3, r.username);
      rating->bind(4, r.product_id);
      rating->exec();
      report(progress, "ratings", i + 1, data.ratings.size());
    }
    auto wish = conn.prepare(
        "INSERT INTO wishlist (user_id, product_id, created_at) "
        "SELECT u.id, p.id, ? FROM users u, products p WHERE u.username = ? AND p.id = ? "
        "ON CONFLICT DO NOTHING");
    for (std::size_t i = 0; i < data.wishlist.size(); ++i) {
      const SeedWish& w = data.wishlist[i];
      wish->reset();
      wish->bind(1, data.now);
      wish->bind(2, w.username);
      wish->bind(3, w.product_id);
      wish->exec();
      report(progress, "wishlist", i + 1, data.wishlist.size());
    }
    conn.db().exec(
        "UPDATE products SET rating_sum = coalesce((SELECT sum(stars) FROM ratings WHERE product_id = products.id), 0), "
        "rating_count = (SELECT count(*) FROM ratings WHERE product_id = products.id)");
  });
}

}  // namespace stork
