#include "storage/database.hpp"
#include "storage/migrations.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <thread>

using namespace stork;

TEST_CASE("migrations run in order and the schema version is the latest") {
  const auto& all = migrations();
  REQUIRE_FALSE(all.empty());
  for (std::size_t i = 1; i < all.size(); ++i) CHECK(all[i].version > all[i - 1].version);

  test::TempDir dir;
  Database db(dir.file("m.db"));
  CHECK(db.schema_version() == all.back().version);
  auto& conn = db.connection().db();
  for (const char* table : {"users", "sessions", "products", "ratings", "wishlist", "publishers",
                            "publisher_origins", "login_failures"}) {
    CAPTURE(table);
    CHECK(conn.tableExists(table));
  }
}

namespace {

// A file migrated the way Stork did before schema_migrations: the given
// migrations run, user_version set to `user_version`.
void migrate_the_old_way(const std::string& path, const std::vector<int>& versions, int user_version) {
  SQLite::Database raw(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  for (const Migration& m : migrations()) {
    if (std::find(versions.begin(), versions.end(), m.version) != versions.end()) raw.exec(m.sql);
  }
  raw.exec("PRAGMA user_version = " + std::to_string(user_version));
}

std::vector<int> recorded(Database& db) {
  std::vector<int> out;
  SQLite::Statement q(db.connection().db(), "SELECT version FROM schema_migrations ORDER BY version");
  while (q.executeStep()) out.push_back(q.getColumn(0).getInt());
  return out;
}

std::vector<int> all_versions() {
  std::vector<int> out;
  for (const Migration& m : migrations()) out.push_back(m.version);
  return out;
}

}  // namespace

TEST_CASE("each applied migration is recorded once, and opening again applies nothing") {
  test::TempDir dir;
  const std::string path = dir.file("r.db");
  { Database db(path); }
  Database db(path);
  CHECK(recorded(db) == all_versions());
  CHECK(db.connection().db().execAndGet("PRAGMA user_version").getInt() == migrations().back().version);
}

TEST_CASE("a database that ran later migrations before an earlier one existed gets the earlier one") {
  // Written before 006 existed: 001, 002, 007 and 008 ran, user_version 8.
  test::TempDir dir;
  const std::string path = dir.file("gap.db");
  migrate_the_old_way(path, {1, 2, 7, 8}, 8);
  Database db(path);
  CHECK(recorded(db) == all_versions());
  CHECK(db.schema_version() == migrations().back().version);
  auto& conn = db.connection().db();
  CHECK(conn.tableExists("password_reset_links"));
  CHECK(conn.tableExists("signup_attempts"));
  CHECK(conn.tableExists("trusted_devices"));
  // 006's case-insensitive index is in force.
  conn.exec("INSERT INTO users (username, first_name, last_name, password_hash, created_at) "
            "VALUES ('Alice', 'A', 'L', 'x', 0)");
  CHECK_THROWS_AS(conn.exec("INSERT INTO users (username, first_name, last_name, password_hash, created_at) "
                            "VALUES ('alice', 'A', 'L', 'x', 0)"),
                  SQLite::Exception);
}

TEST_CASE("a database from before the migration table keeps what it ran and runs only the rest") {
  test::TempDir dir;
  const std::string path = dir.file("old.db");
  // Everything up to 008 ran; running any of it again would fail
  // ("table users already exists").
  std::vector<int> up_to_8;
  for (int v : all_versions()) {
    if (v <= 8) up_to_8.push_back(v);
  }
  migrate_the_old_way(path, up_to_8, 8);
  Database db(path);
  CHECK(recorded(db) == all_versions());
  CHECK(db.connection().db().tableExists("trusted_devices"));
}

TEST_CASE("connections run in WAL mode with foreign keys on") {
  test::TempDir dir;
  Database db(dir.file("w.db"));
  auto& conn = db.connection().db();
  CHECK(conn.execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK(conn.execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK(conn.execAndGet("PRAGMA synchronous").getInt() == 1);  // NORMAL
  CHECK(conn.execAndGet("PRAGMA busy_timeout").getInt() > 0);
  // Foreign keys are enforced, not just declared.
  CHECK_THROWS_AS(conn.exec("INSERT INTO sessions VALUES ('h','p',999,0,0,0,0,'','','')"),
                  SQLite::Exception);

  // Another thread gets its own connection, configured the same way.
  std::string other_mode;
  int other_fk = 0;
  std::thread([&] {
    other_mode = db.connection().db().execAndGet("PRAGMA journal_mode").getString();
    other_fk = db.connection().db().execAndGet("PRAGMA foreign_keys").getInt();
  }).join();
  CHECK(other_mode == "wal");
  CHECK(other_fk == 1);
  CHECK(&db.connection() == &db.connection());
}

TEST_CASE("a second Database on the same file is fine and sees the same data") {
  test::TempDir dir;
  const std::string path = dir.file("shared.db");
  Database first(path);
  first.connection().db().exec(
      "INSERT INTO publishers (key, created_at) VALUES ('acme', 1)");
  Database second(path);
  CHECK(second.schema_version() == first.schema_version());
  CHECK(second.connection().db().execAndGet("SELECT count(*) FROM publishers").getInt() == 1);
  second.connection().db().exec("INSERT INTO publishers (key, created_at) VALUES ('beta', 2)");
  CHECK(first.connection().db().execAndGet("SELECT count(*) FROM publishers").getInt() == 2);
}

TEST_CASE("the directory of a new database is created") {
  test::TempDir dir;
  Database db(dir.file("nested/deeper/n.db"));
  CHECK(std::filesystem::exists(dir.path() / "nested" / "deeper" / "n.db"));
}

TEST_CASE("an unopenable path throws") {
  test::TempDir dir;
  { std::ofstream(dir.file("plain-file")) << "x"; }
  CHECK_THROWS_AS(Database(dir.file("plain-file") + "/db.sqlite"), SQLite::Exception);
}

TEST_CASE("write_transaction rolls back when its body throws") {
  test::TempDir dir;
  Database db(dir.file("t.db"));
  Connection& conn = db.connection();
  CHECK_THROWS_AS(write_transaction(conn,
                                    [&] {
                                      conn.db().exec("INSERT INTO publishers (key, created_at) VALUES ('x', 1)");
                                      throw std::runtime_error("boom");
                                    }),
                  std::runtime_error);
  CHECK(conn.db().execAndGet("SELECT count(*) FROM publishers").getInt() == 0);
  CHECK(write_transaction(conn, [] { return 7; }) == 7);
}
