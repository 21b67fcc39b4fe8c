#include "catalog/sqlite_product_store.hpp"

namespace stork {
namespace {

constexpr std::size_t kProgressEvery = 10'000;

ProductRow read_row(SQLite::Statement& q) {
  ProductRow row;
  row.id = q.getColumn(0).getInt64();
  row.name = q.getColumn(1).getString();
  row.brand = q.getColumn(2).getString();
  row.price_minor = q.getColumn(3).getInt64();
  row.currency = q.getColumn(4).getString();
  row.image = q.getColumn(5).getString();
  return row;
}

std::optional<ProductRow> find_on(Connection& conn, std::int64_t id) {
  auto q = conn.prepare(
      "SELECT id, name, brand, price_cents, currency, image FROM products WHERE id = ?");
  q->bind(1, id);
  if (!q->executeStep()) return std::nullopt;
  return read_row(*q);
}

// A read transaction, so that a comparison sees one state of the table.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Connection& conn) : conn_(conn) { conn_.db().exec("BEGIN"); }
  ~ReadSnapshot() {
    try {
      conn_.db().exec("COMMIT");
    } catch (...) {
    }
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  Connection& conn_;
};

}  // namespace

UpsertSummary SqliteProductStore::compare(const std::vector<ProductRow>& rows) {
  Connection& conn = db_.connection();
  const ReadSnapshot snapshot(conn);
  UpsertSummary summary;
  for (const ProductRow& row : rows) {
    const auto existing = find_on(conn, row.id);
    if (!existing) {
      ++summary.added;
    } else if (*existing == row) {
      ++summary.unchanged;
    } else {
      ++summary.updated;
    }
  }
  return summary;
}

UpsertSummary SqliteProductStore::upsert_all(const std::vector<ProductRow>& rows,
                                             const WriteProgress& progress) {
  Connection& conn = db_.connection();
  return write_transaction(conn, [&] {
    UpsertSummary summary;
    std::size_t done = 0;
    for (const ProductRow& row : rows) {
      const auto existing = find_on(conn, row.id);
      if (existing && *existing == row) {
        ++summary.unchanged;
      } else {
        // Rating aggregates are not in the file and stay as they are.
        auto q = conn.prepare(
            "INSERT INTO products (id, name, brand, price_cents, currency, image) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, "
            "brand = excluded.brand, price_cents = excluded.price_cents, "
            "currency = excluded.currency, image = excluded.image");
        q->bind(1, row.id);
        q->bind(2, row.name);
        q->bind(3, row.brand);
        q->bind(4, row.price_minor);
        q->bind(5, row.currency);
        q->bind(6, row.image);
        q->exec();
        ++(existing ? summary.updated : summary.added);
      }
      if (progress && (++done % kProgressEvery == 0 || done == rows.size())) {
        progress(done, rows.size());
      }
    }
    return summary;
  });
}

std::optional<ProductRow> SqliteProductStore::find(std::int64_t id) {
  return find_on(db_.connection(), id);
}

void SqliteProductStore::for_each(const std::function<void(const ProductRow&)>& fn) {
  // Not a cached statement: fn may itself use this connection.
  SQLite::Statement q(db_.connection().db(),
                      "SELECT id, name, brand, price_cents, currency, image FROM products ORDER BY id");
  while (q.executeStep()) fn(read_row(q));
}

bool SqliteProductStore::remove(std::int64_t id) {
  Connection& conn = db_.connection();
  return write_transaction(conn, [&] {
    // The product's own ratings and wishlist entries go with it (foreign
    // keys ON DELETE CASCADE): its aggregates disappear with the row.
    auto q = conn.prepare("DELETE FROM products WHERE id = ?");
    q->bind(1, id);
    return q->exec() > 0;
  });
}

}  // namespace stork
