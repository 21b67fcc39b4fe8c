#include "postgresql/pg_personal_data_store.hpp"

namespace stork {

using pg::Connection;
using pg::Params;
using pg::Result;

std::optional<PersonalData> PgPersonalDataStore::collect(std::int64_t user_id) {
  const bool joins_unit = db_.in_transaction();
  return db_.transaction([&](Connection& c) -> std::optional<PersonalData> {
    if (!joins_unit) c.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    const Result user = c.query(
        "SELECT username, first_name, last_name, created_at FROM users WHERE id = $1", Params(user_id));
    if (user.rows() == 0) return std::nullopt;
    PersonalData out;
    out.username = user.string(0, 0);
    out.first = user.string(0, 1);
    out.last = user.string(0, 2);
    out.created_at = user.int64(0, 3);
    const Result ratings = c.query(
        "SELECT r.product_id, p.name, r.stars, r.updated_at FROM ratings r "
        "JOIN products p ON p.id = r.product_id WHERE r.user_id = $1 ORDER BY r.product_id",
        Params(user_id));
    for (int i = 0; i < ratings.rows(); ++i) {
      out.ratings.push_back({ratings.int64(i, 0), ratings.string(i, 1),
                             static_cast<int>(ratings.int64(i, 2)), ratings.int64(i, 3)});
    }
    const Result wishes = c.query(
        "SELECT w.product_id, p.name, w.created_at FROM wishlist w "
        "JOIN products p ON p.id = w.product_id WHERE w.user_id = $1 ORDER BY w.product_id",
        Params(user_id));
    for (int i = 0; i < wishes.rows(); ++i) {
      out.wishlist.push_back({wishes.int64(i, 0), wishes.string(i, 1), wishes.int64(i, 2)});
    }
    return out;
  });
}

bool PgPersonalDataStore::erase(std::int64_t user_id) {
  return db_.transaction([&](Connection& c) {
    // The products the user rated first, in id order, with the row lock
    // PgCatalog::rate takes before anything else: a rating of one of them
    // goes wholly before this (and is subtracted below) or after (and
    // finds the user gone). Taking the user's row first would deadlock
    // with such a rating, which holds its product and then needs the
    // user's row for its foreign key check.
    c.query("SELECT 1 FROM products WHERE id IN (SELECT product_id FROM ratings WHERE user_id = $1) "
            "ORDER BY id FOR UPDATE",
            Params(user_id));
    // Then the user: a rating of another product started before this
    // commits first; one started after waits, then fails on the foreign key.
    if (c.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", Params(user_id)).rows() == 0) {
      return false;
    }
    // The aggregates, while the ratings that make them up still exist.
    c.query("UPDATE products p SET rating_sum = p.rating_sum - r.stars, rating_count = p.rating_count - 1 "
            "FROM ratings r WHERE r.user_id = $1 AND r.product_id = p.id",
            Params(user_id));
    // Ratings, wishlist, sessions, refresh tokens, reset link and trusted
    // devices go with the row (ON DELETE CASCADE); said here as well, so
    // the erasure does not depend on every later table remembering to.
    for (const char* sql : {"DELETE FROM ratings WHERE user_id = $1", "DELETE FROM wishlist WHERE user_id = $1",
                            "DELETE FROM sessions WHERE user_id = $1",
                            "DELETE FROM refresh_tokens WHERE user_id = $1",
                            "DELETE FROM password_reset_links WHERE user_id = $1",
                            "DELETE FROM users WHERE id = $1"}) {
      c.query(sql, Params(user_id));
    }
    return true;
  });
}

}  // namespace stork
