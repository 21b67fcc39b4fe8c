// PostgreSQL only: a ConnectionScope (one request's reads) keeps one lent
// connection for every statement in it, and a unit of work inside it is
// still one transaction on that connection.

#include "session_store_contract.hpp"

#include "pg_store_fixture.hpp"
#include "postgresql/pg_session_store.hpp"
#include "postgresql/pg_unit_of_work.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <thread>

using namespace stork;
using test::PgFixture;

namespace {

std::int64_t backend_pid(pg::Database& db) {
  return db.run([](pg::Connection& c) { return c.exec("SELECT pg_backend_pid()").int64(0, 0); });
}

}  // namespace

TEST_SUITE_BEGIN("postgresql");

TEST_CASE("PostgreSQL: the statements of one connection scope share one lent connection") {
  PgFixture fixture(1);
  pg::Database& db = fixture.db();
  backend_pid(db);  // one connection open and idle
  {
    pg::Database::ConnectionScope scope(db);
    const auto first = backend_pid(db);
    CHECK(backend_pid(db) == first);
    {
      pg::Database::ConnectionScope nested(db);  // does nothing
      CHECK(backend_pid(db) == first);
    }
    // Another thread meanwhile gets another connection: this one is lent.
    std::int64_t other = 0;
    std::thread([&] { other = backend_pid(db); }).join();
    CHECK(other != first);
    CHECK(backend_pid(db) == first);
  }
  CHECK(db.pool().open_connections() == 2);
}

TEST_CASE("PostgreSQL: a unit of work inside a connection scope commits, or rolls back, on its connection") {
  PgFixture fixture(1);
  PgUnitOfWork unit(fixture.db());
  PgSessionStore sessions(fixture.db());
  const std::string kept = hash_token(new_session_token());
  const std::string undone = hash_token(new_session_token());
  {
    pg::Database::ConnectionScope scope(fixture.db());
    const auto outside = backend_pid(fixture.db());
    std::int64_t inside = 0;
    unit.run([&] {
      inside = backend_pid(fixture.db());
      // Inside the transaction.
      CHECK_FALSE(fixture.db().run([](pg::Connection& c) { return c.idle(); }));
      sessions.insert(kept, contract::make_session(1, contract::kT0));
    });
    CHECK(inside == outside);
    CHECK_THROWS_AS(unit.run([&] {
                      sessions.insert(undone, contract::make_session(1, contract::kT0));
                      throw std::runtime_error("the use case gives up");
                    }),
                    std::runtime_error);
    // The scope's connection is usable after the rollback, outside any transaction.
    CHECK(fixture.db().run([](pg::Connection& c) { return c.idle(); }));
  }
  std::optional<Session> found_kept, found_undone;
  std::thread([&] {
    found_kept = sessions.find(kept);
    found_undone = sessions.find(undone);
  }).join();
  CHECK(found_kept.has_value());
  CHECK_FALSE(found_undone.has_value());
}

TEST_SUITE_END();
