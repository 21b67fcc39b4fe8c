// Runs the SessionStore contract against every backend we have.

#include "session_store_contract.hpp"

#include "accounts/sqlite_account_store.hpp"
#include "memory_session_store.hpp"
#include "sessions/sqlite_session_store.hpp"
#include "storage/database.hpp"
#include "test_support.hpp"

#include <memory>

namespace {

using namespace stork;

// A real SQLite file in a fresh directory, with users 1..3 (sessions
// reference users by foreign key).
class SqliteStoreHarness {
 public:
  SqliteStoreHarness() : db_(std::make_unique<Database>(dir_.file("sessions.db"))), store_(*db_) {
    SqliteAccountStore accounts(*db_);
    for (const char* name : {"one", "two", "three"}) {
      REQUIRE(accounts.add({name, "F", "L", "$argon2id$unused"}, 0).has_value());
    }
    REQUIRE(accounts.find("three")->id == 3);
  }
  SessionStore& store() { return store_; }

 private:
  test::TempDir dir_;
  std::unique_ptr<Database> db_;
  SqliteSessionStore store_;
};

class MemoryStoreHarness {
 public:
  SessionStore& store() { return store_; }

 private:
  test::MemorySessionStore store_;
};

}  // namespace

TEST_CASE_TEMPLATE_INVOKE(session_store_contract, SqliteStoreHarness, MemoryStoreHarness);

TEST_CASE("SqliteSessionStore keeps only the token's hash, and sessions survive a reopen") {
  test::TempDir dir;
  const std::string token = new_session_token();
  const std::string path = dir.file("s.db");
  {
    Database db(path);
    SqliteAccountStore(db).add({"u", "F", "L", "x"}, 0);
    SqliteSessionStore(db).insert(hash_token(token), contract::make_session(1, contract::kT0));
    auto q = db.connection().prepare("SELECT count(*) FROM sessions WHERE token_hash = ?");
    q->bind(1, token);
    q->executeStep();
    CHECK(q->getColumn(0).getInt() == 0);
  }
  Database reopened(path);
  CHECK(SqliteSessionStore(reopened).find(hash_token(token)).has_value());
}
