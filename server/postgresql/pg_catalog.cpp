#include "postgresql/pg_catalog.hpp"

namespace stork {
namespace {

using pg::Connection;
using pg::Params;
using pg::Result;

// Columns 0..7 of both product queries below.
Product read_product(const Result& r) {
  Product p;
  p.id = r.int64(0, 0);
  p.name = r.string(0, 1);
  p.brand = r.string(0, 2);
  p.price_cents = r.int64(0, 3);
  p.currency = r.string(0, 4);
  p.image = r.string(0, 5);
  p.rating_sum = r.int64(0, 6);
  p.rating_count = r.int64(0, 7);
  return p;
}

}  // namespace

std::optional<Product> PgCatalog::product(std::int64_t id) {
  return db_.run([&](Connection& c) -> std::optional<Product> {
    const Result r = c.query(
        "SELECT id, name, brand, price_cents, currency, image, rating_sum, rating_count "
        "FROM products WHERE id = $1",
        Params(id));
    if (r.rows() == 0) return std::nullopt;
    return read_product(r);
  });
}

ViewerState PgCatalog::viewer_state(std::int64_t user_id, std::int64_t product_id) {
  return db_.run([&](Connection& c) {
    const Result r = c.query(
        "SELECT (SELECT stars FROM ratings WHERE user_id = $1 AND product_id = $2), "
        "EXISTS (SELECT 1 FROM wishlist WHERE user_id = $1 AND product_id = $2)",
        Params(user_id, product_id));
    ViewerState state;
    if (!r.is_null(0, 0)) state.rating = static_cast<int>(r.int64(0, 0));
    state.wishlisted = r.boolean(0, 1);
    return state;
  });
}

ViewerProfile PgCatalog::viewer_profile(std::int64_t user_id, std::size_t limit) {
  return db_.run([&](Connection& c) {
    // Ratings and wishlist rows merged by product, lowest ids first.
    const Result r = c.query(
        "SELECT product_id, max(stars), bool_or(wished) FROM ("
        "  SELECT product_id, stars, false AS wished FROM ratings WHERE user_id = $1 "
        "  UNION ALL SELECT product_id, NULL, true FROM wishlist WHERE user_id = $1) AS mine "
        "GROUP BY product_id ORDER BY product_id LIMIT $2",
        Params(user_id, static_cast<std::int64_t>(limit)));
    ViewerProfile profile;
    for (int row = 0; row < r.rows(); ++row) {
      ViewerState& state = profile[r.int64(row, 0)];
      if (!r.is_null(row, 1)) state.rating = static_cast<int>(r.int64(row, 1));
      state.wishlisted = r.boolean(row, 2);
    }
    return profile;
  });
}

std::optional<ViewedProduct> PgCatalog::viewed_product(std::int64_t id,
                                                       std::optional<std::int64_t> user_id) {
  // One statement, one round trip: the product and this visitor's rating
  // and wishlist flag (NULL user: the subqueries find nothing).
  return db_.run([&](Connection& c) -> std::optional<ViewedProduct> {
    const Result r = c.query(
        "SELECT id, name, brand, price_cents, currency, image, rating_sum, rating_count, "
        "(SELECT stars FROM ratings WHERE user_id = $2 AND product_id = $1), "
        "EXISTS (SELECT 1 FROM wishlist WHERE user_id = $2 AND product_id = $1) "
        "FROM products WHERE id = $1",
        Params().add(id).add(user_id));
    if (r.rows() == 0) return std::nullopt;
    ViewedProduct out;
    out.product = read_product(r);
    if (user_id) {
      if (!r.is_null(0, 8)) out.viewer.rating = static_cast<int>(r.int64(0, 8));
      out.viewer.wishlisted = r.boolean(0, 9);
    }
    return out;
  });
}

bool PgCatalog::rate(std::int64_t user_id, std::int64_t product_id, int stars, UnixSeconds now) {
  // READ COMMITTED with the product row locked first: every rating of this
  // product takes its turn on that lock, and the statement after it starts
  // with a fresh snapshot, so it reads the previous rating as committed by
  // whoever went before. One lock per transaction: no deadlock to retry.
  return db_.transaction([&](Connection& c) {
    if (c.query("SELECT 1 FROM products WHERE id = $1 FOR UPDATE", Params(product_id)).rows() == 0) {
      return false;
    }
    c.query(
        "WITH old AS (SELECT stars FROM ratings WHERE user_id = $1 AND product_id = $2), "
        "upsert AS (INSERT INTO ratings (user_id, product_id, stars, updated_at) VALUES ($1, $2, $3, $4) "
        "  ON CONFLICT (user_id, product_id) DO UPDATE SET stars = excluded.stars, "
        "  updated_at = excluded.updated_at) "
        "UPDATE products SET rating_sum = rating_sum + $3 - coalesce((SELECT stars FROM old), 0), "
        "rating_count = rating_count + CASE WHEN EXISTS (SELECT 1 FROM old) THEN 0 ELSE 1 END "
        "WHERE id = $2",
        Params(user_id, product_id, stars, now));
    return true;
  });
}

bool PgCatalog::set_wishlisted(std::int64_t user_id, std::int64_t product_id, bool on,
                               UnixSeconds now) {
  // One statement: whether the product exists, and the change if it does.
  return db_.run([&](Connection& c) {
    const Result r =
        on ? c.query("WITH p AS (SELECT id FROM products WHERE id = $2), "
                     "ins AS (INSERT INTO wishlist (user_id, product_id, created_at) "
                     "  SELECT $1, id, $3 FROM p ON CONFLICT DO NOTHING) "
                     "SELECT count(*) FROM p",
                     Params(user_id, product_id, now))
           : c.query("WITH p AS (SELECT id FROM products WHERE id = $2), "
                     "del AS (DELETE FROM wishlist WHERE user_id = $1 AND product_id IN (SELECT id FROM p)) "
                     "SELECT count(*) FROM p",
                     Params(user_id, product_id));
    return r.int64(0, 0) > 0;
  });
}

}  // namespace stork
