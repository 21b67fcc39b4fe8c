#include "postgresql/pg_seed_store.hpp"

#include <string_view>

namespace stork {
namespace {

using pg::Connection;
using pg::Params;

// Rows per COPY: the unit of progress, and a bound on the text held at once.
constexpr std::size_t kChunk = 10'000;

// One line of COPY's text format: fields separated by tabs, with the
// characters that format gives a meaning escaped.
class CopyRows {
 public:
  CopyRows& field(std::string_view v) {
    separate();
    for (const char ch : v) {
      switch (ch) {
        case '\\': text_ += "\\\\"; break;
        case '\t': text_ += "\\t"; break;
        case '\n': text_ += "\\n"; break;
        case '\r': text_ += "\\r"; break;
        default: text_ += ch;
      }
    }
    return *this;
  }
  CopyRows& field(std::int64_t v) {
    separate();
    text_ += std::to_string(v);
    return *this;
  }
  void end_row() {
    text_ += '\n';
    first_ = true;
  }
  std::string take() {
    first_ = true;
    return std::move(text_);
  }

 private:
  void separate() {
    if (!first_) text_ += '\t';
    first_ = false;
  }
  std::string text_;
  bool first_ = true;
};

// Creates a temporary table like `columns` and COPYs rows into it,
// kChunk at a time; row(out, item) writes one row.
template <typename Item, typename Row>
void copy_into_temp(Connection& c, const std::string& table, const std::string& columns,
                    const std::vector<Item>& items, const char* what, const LoadProgress& progress,
                    Row&& row) {
  c.exec("CREATE TEMP TABLE " + table + " (" + columns + ") ON COMMIT DROP");
  for (std::size_t start = 0; start < items.size(); start += kChunk) {
    const std::size_t end = std::min(items.size(), start + kChunk);
    CopyRows out;
    for (std::size_t i = start; i < end; ++i) {
      row(out, items[i]);
      out.end_row();
    }
    c.copy_in("COPY " + table + " FROM STDIN", out.take());
    if (progress) progress(what, end, items.size());
  }
}

}  // namespace

void PgSeedStore::load(const SeedData& data, const LoadProgress& progress) {
  db_.transaction([&](Connection& c) {
    copy_into_temp(c, "seed_users", "username text, first_name text, last_name text, password_hash text",
                   data.users, "users", progress, [](CopyRows& out, const SeedUser& u) {
                     out.field(u.username).field(u.first_name).field(u.last_name).field(u.password_hash);
                   });
    c.query(
        "INSERT INTO users (username, first_name, last_name, password_hash, created_at) "
        "SELECT DISTINCT ON (username) username, first_name, last_name, password_hash, $1::bigint "
        "FROM seed_users ORDER BY username "
        "ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash",
        Params(data.now));

    copy_into_temp(c, "seed_products",
                   "id bigint, name text, brand text, price_cents bigint, currency text, image text",
                   data.products, "products", progress, [](CopyRows& out, const ProductRow& p) {
                     out.field(p.id).field(p.name).field(p.brand).field(p.price_minor).field(p.currency).field(p.image);
                   });
    c.exec(
        "INSERT INTO products (id, name, brand, price_cents, currency, image) "
        "SELECT id, name, brand, price_cents, currency, image FROM seed_products "
        "ON CONFLICT (id) DO NOTHING");

    copy_into_temp(c, "seed_ratings", "username text, product_id bigint, stars bigint", data.ratings,
                   "ratings", progress, [](CopyRows& out, const SeedRating& r) {
                     out.field(r.username).field(r.product_id).field(std::int64_t{r.stars});
                   });
    c.query(
        "INSERT INTO ratings (user_id, product_id, stars, updated_at) "
        "SELECT u.id, p.id, s.stars, $1::bigint FROM seed_ratings s "
        "JOIN users u ON u.username = s.username JOIN products p ON p.id = s.product_id "
        "ON CONFLICT DO NOTHING",
        Params(data.now));

    copy_into_temp(c, "seed_wishlist", "username text, product_id bigint", data.wishlist, "wishlist",
                   progress, [](CopyRows& out, const SeedWish& w) { out.field(w.username).field(w.product_id); });
    c.query(
        "INSERT INTO wishlist (user_id, product_id, created_at) "
        "SELECT u.id, p.id, $1::bigint FROM seed_wishlist s "
        "JOIN users u ON u.username = s.username JOIN products p ON p.id = s.product_id "
        "ON CONFLICT DO NOTHING",
        Params(data.now));

    // Only rows whose aggregates differ get a new version.
    c.exec(
        "UPDATE products p SET rating_sum = t.sum, rating_count = t.count FROM ("
        " SELECT q.id, coalesce(a.sum, 0) AS sum, coalesce(a.count, 0) AS count FROM products q"
        " LEFT JOIN (SELECT product_id, sum(stars) AS sum, count(*) AS count FROM ratings GROUP BY product_id) a"
        " ON a.product_id = q.id) t "
        "WHERE p.id = t.id AND (p.rating_sum, p.rating_count) IS DISTINCT FROM (t.sum, t.count)");
  });
}

}  // namespace stork
