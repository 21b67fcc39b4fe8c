// The personalized read's storage path: one read transaction per request,
// writes that end it first, the live-session count that reads one index,
// SQLite's page cache counters, and the reader connections lent to reads.
#include "sessions/sqlite_session_store.hpp"
#include "storage/database.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace stork;

namespace {

std::int64_t publisher_count(Connection& conn) {
  auto q = conn.prepare("SELECT count(*) FROM publishers");
  q->executeStep();
  return q->getColumn(0).getInt64();
}

void add_publisher(Database& db, const std::string& key) {
  // From another thread: its own connection, as another request would.
  std::thread([&] {
    auto q = db.connection().prepare("INSERT INTO publishers (key, created_at) VALUES (?, 1)");
    q->bind(1, key);
    q->exec();
  }).join();
}

Session session_of(std::int64_t user_id, const std::string& public_id, UnixSeconds now) {
  Session s;
  s.public_id = public_id;
  s.user_id = user_id;
  s.created_at = now;
  s.last_seen_at = now;
  s.absolute_expires_at = now + 3600;
  return s;
}

std::int64_t add_user(Database& db) {
  auto& conn = db.connection().db();
  conn.exec(
      "INSERT INTO users (username, first_name, last_name, password_hash, created_at) "
      "VALUES ('ada', 'Ada', 'L', 'x', 1)");
  return conn.getLastInsertRowid();
}

}  // namespace

TEST_CASE("statements inside a ReadTransaction read one snapshot") {
  test::TempDir dir;
  Database db(dir.file("r.db"));
  Connection& conn = db.connection();
  {
    ReadTransaction snapshot(conn);
    const auto before = publisher_count(conn);
    add_publisher(db, "acme");  // committed by another connection meanwhile
    CHECK(publisher_count(conn) == before);
    {
      ReadTransaction nested(conn);  // does nothing: already in one
      CHECK(publisher_count(conn) == before);
    }
    CHECK(publisher_count(conn) == before);
  }
  CHECK(publisher_count(conn) == 1);
}

TEST_CASE("a session write inside a read transaction succeeds after another connection committed") {
  // A deferred read transaction that starts writing gets SQLITE_BUSY_SNAPSHOT
  // once its snapshot is stale: the touch of a session on a product read
  // must end the read transaction first instead of failing the request.
  test::TempDir dir;
  Database db(dir.file("t.db"));
  SqliteSessionStore store(db);
  const std::int64_t user = add_user(db);
  store.insert("hash-1", session_of(user, "pub-1", 1000));
  Connection& conn = db.connection();
  {
    ReadTransaction snapshot(conn);
    REQUIRE(store.find("hash-1"));
    add_publisher(db, "acme");
    CHECK_NOTHROW(store.touch("hash-1", 1100));
    CHECK_NOTHROW(store.insert("hash-2", session_of(user, "pub-2", 1100)));
    // After the write, reads see the latest data, as in autocommit mode.
    CHECK(publisher_count(conn) == 1);
  }
  std::int64_t seen = 0;
  std::size_t sessions = 0;
  std::thread([&] {
    SqliteSessionStore other(db);
    seen = other.find("hash-1")->last_seen_at;
    sessions = other.list_of_user(user).size();
  }).join();
  CHECK(seen == 1100);
  CHECK(sessions == 2);
}

TEST_CASE("a write transaction inside a read transaction ends the read first") {
  test::TempDir dir;
  Database db(dir.file("w.db"));
  Connection& conn = db.connection();
  ReadTransaction snapshot(conn);
  publisher_count(conn);
  add_publisher(db, "acme");
  CHECK_NOTHROW(write_transaction(conn, [&] {
    conn.db().exec("INSERT INTO publishers (key, created_at) VALUES ('beta', 2)");
  }));
  CHECK(publisher_count(conn) == 2);
}

TEST_CASE("counting live sessions reads one index, not a row per session") {
  test::TempDir dir;
  Database db(dir.file("c.db"));
  auto q = db.connection().prepare(
      "EXPLAIN QUERY PLAN SELECT count(*) FROM sessions "
      "WHERE absolute_expires_at > ? AND last_seen_at > ?");
  std::string plan;
  while (q->executeStep()) plan += q->getColumn(3).getString() + "\n";
  CAPTURE(plan);
  CHECK(plan.find("COVERING INDEX") != std::string::npos);

  SqliteSessionStore store(db);
  const std::int64_t user = add_user(db);
  store.insert("live", session_of(user, "p1", 1000));
  Session idle = session_of(user, "p2", 1000);
  idle.last_seen_at = 100;
  store.insert("idle", idle);
  Session over = session_of(user, "p3", 1000);
  over.absolute_expires_at = 1001;
  store.insert("over", over);
  CHECK(store.count_live(1500, 600) == 1);
  CHECK(store.purge_expired(1500, 600) == 2);
  CHECK(store.count_live(1500, 600) == 1);
}

TEST_CASE("page cache counters add up over connections") {
  test::TempDir dir;
  Database db(dir.file("p.db"));
  const PageCacheCounts before = db.page_cache_counts();
  for (int i = 0; i < 200; ++i) publisher_count(db.connection());
  const PageCacheCounts after = db.page_cache_counts();
  CHECK(after.hits + after.misses > before.hits + before.misses + 100);
}

TEST_CASE("a reader lease lends one shared connection to the thread until it ends") {
  test::TempDir dir;
  Database db(dir.file("l.db"));
  Connection& own = db.connection();
  Connection* lent = nullptr;
  {
    ReaderLease lease(db);
    lent = &lease.connection();
    CHECK(lent != &own);
    CHECK(&db.connection() == lent);  // every store call of the read uses it
    {
      ReaderLease nested(db);  // does nothing: the thread already has one
      CHECK(&nested.connection() == lent);
    }
    CHECK(&db.connection() == lent);
    CHECK(publisher_count(db.connection()) == 0);
  }
  CHECK(&db.connection() == &own);
  // Given back: the next lease, on another thread, gets the same one.
  Connection* next = nullptr;
  std::thread([&] {
    ReaderLease again(db);
    next = &again.connection();
  }).join();
  CHECK(next == lent);
}

TEST_CASE("reader leases are bounded: one more borrower waits until a reader is given back") {
  test::TempDir dir;
  Database db(dir.file("b.db"));
  const std::size_t limit = Database::reader_limit();
  REQUIRE(limit >= 4);
  std::mutex m;
  std::condition_variable cv;
  std::size_t holding = 0;
  bool release_one = false;
  bool release_all = false;
  std::vector<Connection*> held(limit, nullptr);
  std::vector<std::thread> holders;
  for (std::size_t i = 0; i < limit; ++i) {
    holders.emplace_back([&, i] {
      ReaderLease lease(db);
      std::unique_lock lock(m);
      held[i] = &lease.connection();
      ++holding;
      cv.notify_all();
      cv.wait(lock, [&] { return release_all || (release_one && i == 0); });
    });
  }
  {
    std::unique_lock lock(m);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return holding == limit; }));
  }
  std::sort(held.begin(), held.end());
  CHECK(std::adjacent_find(held.begin(), held.end()) == held.end());  // all different

  std::atomic<bool> got{false};
  Connection* extra = nullptr;
  std::thread borrower([&] {
    ReaderLease lease(db);
    extra = &lease.connection();
    got = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK_FALSE(got.load());  // every reader is lent
  {
    const std::lock_guard lock(m);
    release_one = true;
  }
  cv.notify_all();
  borrower.join();
  CHECK(got.load());
  CHECK(std::binary_search(held.begin(), held.end(), extra));  // a given-back one, no new one
  {
    const std::lock_guard lock(m);
    release_all = true;
  }
  cv.notify_all();
  for (auto& t : holders) t.join();
}
