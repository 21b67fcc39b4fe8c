#include "storage/database.hpp"
#include "storage/migrations.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <thread>

using namespace stork;

TEST_CASE("migrations run in order and set user_version to the latest") {
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
