#include "accounts/sqlite_user_directory.hpp"

namespace stork {
namespace {

#define STORK_USER_SUMMARY_COLUMNS                                                  \
  "SELECT u.id, u.username, u.first_name, u.last_name, u.disabled, u.created_at, " \
  "(SELECT count(*) FROM sessions s WHERE s.user_id = u.id), "                     \
  "(SELECT count(*) FROM ratings r WHERE r.user_id = u.id), "                      \
  "(SELECT count(*) FROM wishlist w WHERE w.user_id = u.id) FROM users u "

UserSummary read_summary(SQLite::Statement& q) {
  UserSummary u;
  u.id = q.getColumn(0).getInt64();
  u.username = q.getColumn(1).getString();
  u.first = q.getColumn(2).getString();
  u.last = q.getColumn(3).getString();
  u.disabled = q.getColumn(4).getInt() != 0;
  u.created_at = q.getColumn(5).getInt64();
  u.sessions = q.getColumn(6).getInt64();
  u.ratings = q.getColumn(7).getInt64();
  u.wishlist = q.getColumn(8).getInt64();
  return u;
}

}  // namespace

std::vector<UserSummary> SqliteUserDirectory::list() {
  SQLite::Statement q(db_.connection().db(), STORK_USER_SUMMARY_COLUMNS "ORDER BY u.username");
  std::vector<UserSummary> out;
  while (q.executeStep()) out.push_back(read_summary(q));
  return out;
}

std::optional<UserSummary> SqliteUserDirectory::show(const std::string& username) {
  SQLite::Statement q(db_.connection().db(), STORK_USER_SUMMARY_COLUMNS "WHERE u.username = ?");
  q.bind(1, username);
  if (!q.executeStep()) return std::nullopt;
  return read_summary(q);
}

#undef STORK_USER_SUMMARY_COLUMNS

}  // namespace stork
