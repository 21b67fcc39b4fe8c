#include "catalog/sqlite_catalog.hpp"

namespace stork {
namespace {

bool product_exists(Connection& conn, std::int64_t id) {
  auto q = conn.prepare("SELECT 1 FROM products WHERE id = ?");
  q->bind(1, id);
  return q->executeStep();
}

// Columns 0..7 of both product queries below.
Product read_product(SQLite::Statement& q) {
  Product p;
  p.id = q.getColumn(0).getInt64();
  p.name = q.getColumn(1).getString();
  p.brand = q.getColumn(2).getString();
  p.price_cents = q.getColumn(3).getInt64();
  p.currency = q.getColumn(4).getString();
  p.image = q.getColumn(5).getString();
  p.rating_sum = q.getColumn(6).getInt64();
  p.rating_count = q.getColumn(7).getInt64();
  return p;
}

}  // namespace

std::optional<Product> SqliteCatalog::product(std::int64_t id) {
  auto q = db_.connection().prepare(
      "SELECT id, name, brand, price_cents, currency, image, rating_sum, rating_count "
      "FROM products WHERE id = ?");
  q->bind(1, id);
  if (!q->executeStep()) return std::nullopt;
  return read_product(*q);
}

ViewerState SqliteCatalog::viewer_state(std::int64_t user_id, std::int64_t product_id) {
  // One statement for both facts: the hot path makes one round trip.
  auto q = db_.connection().prepare(
      "SELECT (SELECT stars FROM ratings WHERE user_id = ?1 AND product_id = ?2), "
      "EXISTS (SELECT 1 FROM wishlist WHERE user_id = ?1 AND product_id = ?2)");
  q->bind(1, user_id);
  q->bind(2, product_id);
  q->executeStep();
  ViewerState state;
  if (!q->getColumn(0).isNull()) state.rating = q->getColumn(0).getInt();
  state.wishlisted = q->getColumn(1).getInt() != 0;
  return state;
}

ViewerProfile SqliteCatalog::viewer_profile(std::int64_t user_id, std::size_t limit) {
  // Ratings and wishlist rows merged by product, lowest ids first.
  auto q = db_.connection().prepare(
      "SELECT product_id, max(stars), max(wished) FROM ("
      "  SELECT product_id, stars, 0 AS wished FROM ratings WHERE user_id = ?1 "
      "  UNION ALL SELECT product_id, NULL, 1 FROM wishlist WHERE user_id = ?1) "
      "GROUP BY product_id ORDER BY product_id LIMIT ?2");
  q->bind(1, user_id);
  q->bind(2, static_cast<std::int64_t>(limit));
  ViewerProfile profile;
  while (q->executeStep()) {
    ViewerState& state = profile[q->getColumn(0).getInt64()];
    if (!q->getColumn(1).isNull()) state.rating = q->getColumn(1).getInt();
    state.wishlisted = q->getColumn(2).getInt() != 0;
  }
  return profile;
}

std::optional<ViewedProduct> SqliteCatalog::viewed_product(std::int64_t id,
                                                           std::optional<std::int64_t> user_id) {
  // One statement (one read transaction) for the product and the viewer's
  // rating and wishlist flag; for an anonymous visitor the user id is NULL,
  // which equals nothing, so the subqueries find nothing.
  auto q = db_.connection().prepare(
      "SELECT id, name, brand, price_cents, currency, image, rating_sum, rating_count, "
      "(SELECT stars FROM ratings WHERE user_id = ?2 AND product_id = ?1), "
      "EXISTS (SELECT 1 FROM wishlist WHERE user_id = ?2 AND product_id = ?1) "
      "FROM products WHERE id = ?1");
  q->bind(1, id);
  if (user_id) {
    q->bind(2, *user_id);
  } else {
    q->bind(2);
  }
  if (!q->executeStep()) return std::nullopt;
  ViewedProduct out;
  out.product = read_product(*q);
  if (user_id) {
    if (!q->getColumn(8).isNull()) out.viewer.rating = q->getColumn(8).getInt();
    out.viewer.wishlisted = q->getColumn(9).getInt() != 0;
  }
  return out;
}

bool SqliteCatalog::rate(std::int64_t user_id, std::int64_t product_id, int stars,
                         UnixSeconds now) {
  Connection& conn = db_.connection();
  return write_transaction(conn, [&] {
    if (!product_exists(conn, product_id)) return false;
    int previous = 0;
    {
      auto q = conn.prepare("SELECT stars FROM ratings WHERE user_id = ? AND product_id = ?");
      q->bind(1, user_id);
      q->bind(2, product_id);
      if (q->executeStep()) previous = q->getColumn(0).getInt();
    }
    {
      auto q = conn.prepare(
          "INSERT INTO ratings (user_id, product_id, stars, updated_at) VALUES (?, ?, ?, ?) "
          "ON CONFLICT(user_id, product_id) DO UPDATE SET stars = excluded.stars, "
          "updated_at = excluded.updated_at");
      q->bind(1, user_id);
      q->bind(2, product_id);
      q->bind(3, stars);
      q->bind(4, now);
      q->exec();
    }
    {
      auto q = conn.prepare(
          "UPDATE products SET rating_sum = rating_sum + ?, rating_count = rating_count + ? "
          "WHERE id = ?");
      q->bind(1, stars - previous);
      q->bind(2, previous == 0 ? 1 : 0);
      q->bind(3, product_id);
      q->exec();
    }
    return true;
  });
}

bool SqliteCatalog::set_wishlisted(std::int64_t user_id, std::int64_t product_id, bool on,
                                   UnixSeconds now) {
  Connection& conn = db_.connection();
  if (!product_exists(conn, product_id)) return false;
  if (on) {
    auto q = conn.prepare(
        "INSERT INTO wishlist (user_id, product_id, created_at) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING");
    q->bind(1, user_id);
    q->bind(2, product_id);
    q->bind(3, now);
    q->exec();
  } else {
    auto q = conn.prepare("DELETE FROM wishlist WHERE user_id = ? AND product_id = ?");
    q->bind(1, user_id);
    q->bind(2, product_id);
    q->exec();
  }
  return true;
}

}  // namespace stork
