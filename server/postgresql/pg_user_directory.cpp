#include "postgresql/pg_user_directory.hpp"

namespace stork {
namespace {

using pg::Connection;
using pg::Params;
using pg::Result;

const std::string kSummary =
    "SELECT u.id, u.username, u.first_name, u.last_name, u.disabled, u.created_at, "
    "(SELECT count(*) FROM sessions s WHERE s.user_id = u.id), "
    "(SELECT count(*) FROM ratings r WHERE r.user_id = u.id), "
    "(SELECT count(*) FROM wishlist w WHERE w.user_id = u.id) FROM users u ";

UserSummary read_summary(const Result& r, int row) {
  UserSummary u;
  u.id = r.int64(row, 0);
  u.username = r.string(row, 1);
  u.first = r.string(row, 2);
  u.last = r.string(row, 3);
  u.disabled = r.boolean(row, 4);
  u.created_at = r.int64(row, 5);
  u.sessions = r.int64(row, 6);
  u.ratings = r.int64(row, 7);
  u.wishlist = r.int64(row, 8);
  return u;
}

}  // namespace

std::vector<UserSummary> PgUserDirectory::list() {
  return db_.run([&](Connection& c) {
    // Byte order, as SQLite's: the database's locale must not reorder it.
    const Result r = c.query(kSummary + "ORDER BY u.username COLLATE \"C\"");
    std::vector<UserSummary> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_summary(r, i));
    return out;
  });
}

std::optional<UserSummary> PgUserDirectory::show(const std::string& username) {
  return db_.run([&](Connection& c) -> std::optional<UserSummary> {
    const Result r = c.query(kSummary + "WHERE u.username = $1", Params(username));
    if (r.rows() == 0) return std::nullopt;
    return read_summary(r, 0);
  });
}

}  // namespace stork
