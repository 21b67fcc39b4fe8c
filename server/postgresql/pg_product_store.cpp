#include "postgresql/pg_product_store.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace stork {
namespace {

using pg::Connection;
using pg::Params;
using pg::Result;

// Rows per statement: large enough that a 100,000-product import is a few
// dozen round trips, small enough to keep one statement's parameters a
// few MiB.
constexpr std::size_t kBatch = 5'000;
constexpr std::size_t kProgressEvery = 10'000;
static_assert(kProgressEvery % kBatch == 0, "a batch never straddles a progress report");

const std::string kColumns = "id, name, brand, price_cents, currency, image";

ProductRow read_row(const Result& r, int row) {
  return {r.int64(row, 0), r.string(row, 1), r.string(row, 2),
          r.int64(row, 3), r.string(row, 4), r.string(row, 5)};
}

// One column of a batch as a PostgreSQL array literal, every element
// quoted, so that one prepared statement (unnest of six arrays) serves
// batches of any size.
class ArrayLiteral {
 public:
  void add(std::int64_t v) { next() += std::to_string(v); }
  void add(const std::string& v) {
    std::string& out = next();
    out += '"';
    for (const char ch : v) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  std::string done() { return text_ + '}'; }

 private:
  std::string& next() {
    text_ += text_.empty() ? "{" : ",";
    return text_;
  }
  std::string text_;
};

// Runs fn(Connection&) reading at one snapshot for the whole call, unless
// the call is part of a larger unit (whose level its first statement set).
template <typename Fn>
decltype(auto) in_snapshot(pg::Database& db, Fn&& fn) {
  const bool joins_unit = db.in_transaction();
  return db.transaction([&](Connection& c) {
    if (!joins_unit) c.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    return fn(c);
  });
}

// Writes one batch; counts into summary.
void upsert_batch(Connection& c, const std::vector<const ProductRow*>& batch, UpsertSummary& summary) {
  ArrayLiteral ids, names, brands, prices, currencies, images;
  for (const ProductRow* row : batch) {
    ids.add(row->id);
    names.add(row->name);
    brands.add(row->brand);
    prices.add(row->price_minor);
    currencies.add(row->currency);
    images.add(row->image);
  }
  // Rating aggregates are not in the file and stay as they are; an equal
  // row is not touched at all (no new row version, no lock held).
  const Result r = c.query(
      "INSERT INTO products (" + kColumns + ") "
      "SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[]) "
      "ON CONFLICT (id) DO UPDATE SET name = excluded.name, brand = excluded.brand, "
      "price_cents = excluded.price_cents, currency = excluded.currency, image = excluded.image "
      "WHERE (products.name, products.brand, products.price_cents, products.currency, products.image) "
      "IS DISTINCT FROM (excluded.name, excluded.brand, excluded.price_cents, excluded.currency, "
      "excluded.image) "
      "RETURNING (xmax = 0)",  // true: inserted; false: an existing row updated
      Params(ids.done(), names.done(), brands.done(), prices.done(), currencies.done(), images.done()));
  std::size_t written = 0;
  for (int i = 0; i < r.rows(); ++i, ++written) ++(r.boolean(i, 0) ? summary.added : summary.updated);
  summary.unchanged += batch.size() - written;
}

}  // namespace

UpsertSummary PgProductStore::compare(const std::vector<ProductRow>& rows) {
  return in_snapshot(db_, [&](Connection& c) {
    UpsertSummary summary;
    for (std::size_t start = 0; start < rows.size(); start += kBatch) {
      const std::size_t end = std::min(rows.size(), start + kBatch);
      ArrayLiteral ids;
      for (std::size_t i = start; i < end; ++i) ids.add(rows[i].id);
      const Result r = c.query("SELECT " + kColumns + " FROM products WHERE id = ANY($1::bigint[])",
                               Params(ids.done()));
      std::unordered_map<std::int64_t, ProductRow> existing;
      for (int i = 0; i < r.rows(); ++i) {
        ProductRow row = read_row(r, i);
        existing.emplace(row.id, std::move(row));
      }
      for (std::size_t i = start; i < end; ++i) {
        const auto found = existing.find(rows[i].id);
        if (found == existing.end()) {
          ++summary.added;
        } else if (found->second == rows[i]) {
          ++summary.unchanged;
        } else {
          ++summary.updated;
        }
      }
    }
    return summary;
  });
}

UpsertSummary PgProductStore::upsert_all(const std::vector<ProductRow>& rows,
                                         const WriteProgress& progress) {
  return db_.transaction([&](Connection& c) {
    UpsertSummary summary;
    std::vector<const ProductRow*> batch;
    std::unordered_set<std::int64_t> ids_in_batch;  // one statement may not upsert a row twice
    std::size_t done = 0;
    const auto flush = [&] {
      if (batch.empty()) return;
      upsert_batch(c, batch, summary);
      done += batch.size();
      batch.clear();
      ids_in_batch.clear();
      if (progress && (done % kProgressEvery == 0 || done == rows.size())) progress(done, rows.size());
    };
    for (const ProductRow& row : rows) {
      if (!ids_in_batch.insert(row.id).second) {
        flush();
        ids_in_batch.insert(row.id);
      }
      batch.push_back(&row);
      if (batch.size() == kBatch || (done + batch.size()) % kProgressEvery == 0) flush();
    }
    flush();
    return summary;
  });
}

std::optional<ProductRow> PgProductStore::find(std::int64_t id) {
  return db_.run([&](Connection& c) -> std::optional<ProductRow> {
    const Result r = c.query("SELECT " + kColumns + " FROM products WHERE id = $1", Params(id));
    if (r.rows() == 0) return std::nullopt;
    return read_row(r, 0);
  });
}

void PgProductStore::for_each(const std::function<void(const ProductRow&)>& fn) {
  // Pages by id (keyset) so an export of any size holds one page in memory.
  in_snapshot(db_, [&](Connection& c) {
    std::int64_t after = -1;
    for (;;) {
      const Result r = c.query("SELECT " + kColumns + " FROM products WHERE id > $1 ORDER BY id LIMIT $2",
                               Params(after, static_cast<std::int64_t>(kBatch)));
      for (int i = 0; i < r.rows(); ++i) fn(read_row(r, i));
      if (r.rows() < static_cast<int>(kBatch)) return;
      after = r.int64(r.rows() - 1, 0);
    }
  });
}

bool PgProductStore::remove(std::int64_t id) {
  // The product's ratings and wishlist entries go with it (ON DELETE
  // CASCADE): its aggregates disappear with the row.
  return db_.run([&](Connection& c) {
    return c.query("DELETE FROM products WHERE id = $1", Params(id)).affected() > 0;
  });
}

}  // namespace stork
