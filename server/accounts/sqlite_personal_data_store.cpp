#include "accounts/sqlite_personal_data_store.hpp"

namespace stork {

std::optional<PersonalData> SqlitePersonalDataStore::collect(std::int64_t user_id) {
  Connection& conn = db_.connection();
  // One read transaction: the three reads see the same moment.
  conn.db().exec("BEGIN");
  try {
    PersonalData out;
    {
      auto q = conn.prepare(
          "SELECT username, first_name, last_name, created_at FROM users WHERE id = ?");
      q->bind(1, user_id);
      if (!q->executeStep()) {
        conn.db().exec("COMMIT");
        return std::nullopt;
      }
      out.username = q->getColumn(0).getString();
      out.first = q->getColumn(1).getString();
      out.last = q->getColumn(2).getString();
      out.created_at = q->getColumn(3).getInt64();
    }
    {
      auto q = conn.prepare(
          "SELECT r.product_id, p.name, r.stars, r.updated_at FROM ratings r "
          "JOIN products p ON p.id = r.product_id WHERE r.user_id = ? ORDER BY r.product_id");
      q->bind(1, user_id);
      while (q->executeStep()) {
        out.ratings.push_back({q->getColumn(0).getInt64(), q->getColumn(1).getString(),
                               q->getColumn(2).getInt(), q->getColumn(3).getInt64()});
      }
    }
    {
      auto q = conn.prepare(
          "SELECT w.product_id, p.name, w.created_at FROM wishlist w "
          "JOIN products p ON p.id = w.product_id WHERE w.user_id = ? ORDER BY w.product_id");
      q->bind(1, user_id);
      while (q->executeStep()) {
        out.wishlist.push_back(
            {q->getColumn(0).getInt64(), q->getColumn(1).getString(), q->getColumn(2).getInt64()});
      }
    }
    conn.db().exec("COMMIT");
    return out;
  } catch (...) {
    try {
      conn.db().exec("ROLLBACK");
    } catch (...) {
    }
    throw;
  }
}

bool SqlitePersonalDataStore::erase(std::int64_t user_id) {
  Connection& conn = db_.connection();
  return write_transaction(conn, [&] {
    {
      auto q = conn.prepare("SELECT 1 FROM users WHERE id = ?");
      q->bind(1, user_id);
      if (!q->executeStep()) return false;
    }
    // Aggregates first, while the ratings that make them up still exist.
    {
      auto q = conn.prepare(
          "UPDATE products SET "
          "rating_sum = rating_sum - (SELECT stars FROM ratings r "
          "  WHERE r.user_id = ?1 AND r.product_id = products.id), "
          "rating_count = rating_count - 1 "
          "WHERE id IN (SELECT product_id FROM ratings WHERE user_id = ?1)");
      q->bind(1, user_id);
      q->exec();
    }
    for (const char* sql : {"DELETE FROM ratings WHERE user_id = ?",
                            "DELETE FROM wishlist WHERE user_id = ?",
                            "DELETE FROM sessions WHERE user_id = ?",
                            "DELETE FROM refresh_tokens WHERE user_id = ?",
                            "DELETE FROM password_reset_links WHERE user_id = ?",
                            "DELETE FROM users WHERE id = ?"}) {
      auto q = conn.prepare(sql);
      q->bind(1, user_id);
      q->exec();
    }
    return true;
  });
}

}  // namespace stork
