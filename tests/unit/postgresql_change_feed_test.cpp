// The PostgreSQL change feed (PgBackend::follow_changes: a
// pg::ChangeListener over the triggers of db/postgresql/012): every change
// a per-process read cache must hear of, committed through the real
// stores, reaches the sink; nothing else does (a touch, a rollback); and
// after its connection is lost the feed says so, then listens again.
//
// "Nothing arrives" is checked without sleeping: a marker write follows,
// and since PostgreSQL delivers notifications in commit order, the marker
// arriving alone shows that nothing came before it.

#include "session_store_contract.hpp"

#include "pg_store_fixture.hpp"
#include "postgresql/pg_change_listener.hpp"
#include "storage/pg_backend.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

using namespace stork;
using test::PgFixture;
using Steady = std::chrono::steady_clock;

namespace {

constexpr auto kPatience = std::chrono::seconds(5);

// Records every call as "u<id>", "p<id>", "*", "lost" or "live", with the
// time it came, and lets the test wait for one.
class RecordingSink final : public ChangeSink {
 public:
  void user_changed(std::int64_t id) override { record("u" + std::to_string(id)); }
  void product_changed(std::int64_t id) override { record("p" + std::to_string(id)); }
  void everything_changed() override { record("*"); }
  void feed_lost() override { record("lost"); }
  void feed_live() override { record("live"); }

  // Waits (at most patience) until `event` is among the calls not yet
  // taken; returns when it came.
  std::optional<Steady::time_point> wait_for(const std::string& event,
                                            std::chrono::milliseconds patience = kPatience) {
    std::unique_lock lock(mutex_);
    std::optional<Steady::time_point> at;
    came_.wait_for(lock, patience, [&] {
      for (const auto& [e, t] : events_) {
        if (e == event) {
          at = t;
          return true;
        }
      }
      return false;
    });
    return at;
  }

  // The calls not yet taken, in order; takes them.
  std::vector<std::string> take() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& [e, t] : events_) out.push_back(e);
    events_.clear();
    return out;
  }

 private:
  void record(std::string event) {
    {
      std::lock_guard lock(mutex_);
      events_.emplace_back(std::move(event), Steady::now());
    }
    came_.notify_all();
  }

  std::mutex mutex_;
  std::condition_variable came_;
  std::vector<std::pair<std::string, Steady::time_point>> events_;
};

std::set<std::string> as_set(const std::vector<std::string>& events) { return {events.begin(), events.end()}; }

// The fixture's users (the last one is the marker's, written by nothing
// else), and two products.
constexpr int kUsers = 8;
const std::vector<Product> kProducts = {{1, "Lens", "Acme", 100, "EUR", "l.png", 0, 0},
                                        {2, "Body", "Acme", 900, "EUR", "b.png", 0, 0}};

// A migrated, emptied store with a change feed that has gone live.
class FeedFixture {
 public:
  explicit FeedFixture(int users = kUsers)
      : marker_(users), rows_(users, kProducts), backend_(test::pg_store_url(), pg::PoolOptions{4, std::chrono::milliseconds(5000)}) {
    feed_ = backend_.follow_changes(sink_);
    REQUIRE(feed_ != nullptr);
    REQUIRE(sink_.wait_for("live"));
    REQUIRE(sink_.take() == std::vector<std::string>{"live"});
  }
  PgBackend& backend() { return backend_; }
  RecordingSink& sink() { return sink_; }
  std::unique_ptr<ChangeFeed>& feed() { return feed_; }

  // What the feed delivered for the writes of fn: everything up to a
  // marker write that comes after them (and nothing after the marker).
  std::set<std::string> changes_of(const std::function<void()>& fn) {
    fn();
    backend_.accounts().set_disabled(marker_, false);
    const std::string marker = "u" + std::to_string(marker_);
    REQUIRE(sink_.wait_for(marker));
    std::vector<std::string> events = sink_.take();
    REQUIRE(events.back() == marker);
    events.pop_back();
    return as_set(events);
  }

  // A new session of the user; returns its token hash.
  std::string sign_in(std::int64_t user_id) {
    const std::string hash = hash_token(new_session_token());
    backend_.sessions().insert(hash, contract::make_session(user_id, contract::kT0));
    return hash;
  }

 private:
  const std::int64_t marker_;
  PgFixture rows_;  // first: empties the database before the feed listens
  PgBackend backend_;
  RecordingSink sink_;
  std::unique_ptr<ChangeFeed> feed_;
};

using Changes = std::set<std::string>;

std::int64_t listener_pid(const std::string& url) {
  pg::Connection c(url);
  const pg::Result r = c.exec(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
      "AND query = 'LISTEN stork_changes'");
  REQUIRE(r.rows() == 1);
  return r.int64(0, 0);
}

}  // namespace

TEST_CASE("change feed payloads: u<id> a user, p<id> a product, anything else everything") {
  RecordingSink sink;
  for (const char* payload : {"u12", "p7", "u0", "*", "", "u", "p", "x1", "u12a", "u-1", "u+1",
                              "u99999999999999999999", " u1"}) {
    pg::deliver_change(payload, sink);
  }
  CHECK(sink.take() == std::vector<std::string>{"u12", "p7", "u0", "*", "*", "*", "*", "*", "*", "*",
                                                "*", "*", "*"});
}

TEST_SUITE_BEGIN("postgresql");

TEST_CASE("PostgreSQL change feed: sessions ended, accounts changed, ratings and wishlists reach the sink") {
  FeedFixture f;
  auto& sessions = f.backend().sessions();
  const std::string a = f.sign_in(1);
  const std::string b = f.sign_in(1);
  f.sign_in(2);
  f.sign_in(2);
  const std::string kept = f.sign_in(3);
  f.sign_in(3);

  CHECK(f.changes_of([&] { CHECK(sessions.remove(a)); }) == Changes{"u1"});
  const auto listed = sessions.list_of_user(1);
  REQUIRE(listed.size() == 1);
  CHECK(f.changes_of([&] { CHECK(sessions.remove_by_public_id(1, listed[0].public_id)); }) == Changes{"u1"});
  CHECK(f.changes_of([&] { CHECK_FALSE(sessions.remove(b)); }) == Changes{});  // already gone: no row, no message
  CHECK(f.changes_of([&] { CHECK(sessions.remove_all_of_user(2) == 2); }) == Changes{"u2"});
  CHECK(f.changes_of([&] { CHECK(sessions.remove_all_of_user(3, kept) == 1); }) == Changes{"u3"});

  auto& accounts = f.backend().accounts();
  CHECK(f.changes_of([&] { CHECK(accounts.set_disabled(4, true)); }) == Changes{"u4"});
  CHECK(f.changes_of([&] { CHECK(accounts.set_password_hash(5, "$argon2id$other")); }) == Changes{"u5"});
  CHECK(f.changes_of([&] { accounts.upgrade_password_hash(5, "$argon2id$newer"); }) == Changes{"u5"});

  auto& catalog = f.backend().catalog();
  CHECK(f.changes_of([&] { CHECK(catalog.rate(6, 1, 4, contract::kT0)); }) == Changes{"u6", "p1"});
  CHECK(f.changes_of([&] { CHECK(catalog.rate(6, 1, 2, contract::kT0)); }) == Changes{"u6", "p1"});
  CHECK(f.changes_of([&] { CHECK(catalog.set_wishlisted(7, 2, true, contract::kT0)); }) == Changes{"u7"});
  CHECK(f.changes_of([&] { CHECK(catalog.set_wishlisted(7, 2, false, contract::kT0)); }) == Changes{"u7"});
}

TEST_CASE("PostgreSQL change feed: a sign-in, a touch and reads send nothing") {
  FeedFixture f;
  std::string hash;
  CHECK(f.changes_of([&] { hash = f.sign_in(1); }) == Changes{});
  CHECK(f.changes_of([&] { f.backend().sessions().touch(hash, contract::kT0 + 60); }) == Changes{});
  CHECK(f.changes_of([&] {
          CHECK(f.backend().sessions().find(hash));
          CHECK(f.backend().catalog().viewed_product(1, 1));
        }) == Changes{});
  // The touch was written, it just said nothing.
  CHECK(f.backend().sessions().find(hash)->last_seen_at == contract::kT0 + 60);
}

TEST_CASE("PostgreSQL change feed: nothing of a rolled-back transaction, and nothing before the commit") {
  FeedFixture f;
  f.sign_in(1);
  CHECK(f.changes_of([&] {
          CHECK_THROWS_AS(f.backend().unit_of_work().run([&] {
                            f.backend().catalog().rate(2, 1, 5, contract::kT0);
                            f.backend().accounts().set_disabled(2, true);
                            throw std::runtime_error("the use case gives up");
                          }),
                          std::runtime_error);
        }) == Changes{});

  pg::Connection open(test::pg_store_url());
  open.exec("BEGIN");
  open.exec("DELETE FROM sessions WHERE user_id = 1");
  CHECK(f.changes_of([] {}) == Changes{});  // deleted, not yet committed
  CHECK(f.changes_of([&] { open.exec("COMMIT"); }) == Changes{"u1"});
}

TEST_CASE("PostgreSQL change feed: removals reach every user and product they cascade to") {
  FeedFixture f;
  auto& catalog = f.backend().catalog();
  f.sign_in(1);
  catalog.rate(1, 1, 5, contract::kT0);
  catalog.rate(1, 2, 3, contract::kT0);
  catalog.set_wishlisted(1, 2, true, contract::kT0);
  catalog.rate(3, 2, 4, contract::kT0);
  catalog.set_wishlisted(4, 2, true, contract::kT0);
  f.sign_in(2);
  f.sign_in(2);
  f.changes_of([] {});  // heard every message of the set-up

  // The account-removal path: its products' aggregates change too.
  CHECK(f.changes_of([&] { CHECK(f.backend().personal_data().erase(1)); }) == Changes{"u1", "p1", "p2"});
  // A product removed: users 3 and 4 hear of it only through the cascade
  // to their rating and wishlist rows.
  CHECK(f.changes_of([] { pg::Connection(test::pg_store_url()).exec("DELETE FROM products WHERE id = 2"); }) ==
        Changes{"p2", "u3", "u4"});
  // A user row deleted by hand: its sessions go by the cascade.
  CHECK(f.changes_of([] { pg::Connection(test::pg_store_url()).exec("DELETE FROM users WHERE id = 2"); }) ==
        Changes{"u2"});

  // A publisher's removal cascades to the accounts it asserted.
  f.backend().publishers().add("pub", std::nullopt, {"https://pub.example"}, contract::kT0);
  const auto reader = [](const char* subject) { return AssertedReader{"pub", subject, "Reader", ""}; };
  const auto r1 = f.backend().identity().account_for(reader("s1"), contract::kT0);
  const auto r2 = f.backend().identity().account_for(reader("s2"), contract::kT0);
  REQUIRE(r1);
  REQUIRE(r2);
  f.sign_in(*r1);
  f.changes_of([] {});
  CHECK(f.changes_of([&] { CHECK(f.backend().publishers().remove("pub")); }) ==
        Changes{"u" + std::to_string(*r1), "u" + std::to_string(*r2)});
}

TEST_CASE("PostgreSQL change feed: a purge names up to 64 users, and sends one '*' for more") {
  FeedFixture f(200);
  auto& sessions = f.backend().sessions();
  Changes expected;
  for (std::int64_t u = 1; u <= 64; ++u) {
    f.sign_in(u);
    f.sign_in(u);
    expected.insert("u" + std::to_string(u));
  }
  const UnixSeconds later = contract::kT0 + 7200;  // past make_session's absolute expiry
  CHECK(f.changes_of([&] { CHECK(sessions.purge_expired(later, contract::kIdle) == 128); }) == expected);

  for (std::int64_t u = 1; u <= 150; ++u) f.sign_in(u);
  CHECK(f.changes_of([&] { CHECK(sessions.purge_expired(later, contract::kIdle) == 150); }) == Changes{"*"});
}

TEST_CASE("PostgreSQL change feed: the session trigger fires for every column but last_seen_at") {
  // A column added to sessions must be added to the trigger's list too
  // (db/postgresql/012 says why there is a list).
  FeedFixture f;
  pg::Connection c(test::pg_store_url());
  const auto names = [&](const std::string& sql) {
    std::set<std::string> out;
    const pg::Result r = c.exec(sql);
    for (int i = 0; i < r.rows(); ++i) out.insert(r.string(i, 0));
    return out;
  };
  std::set<std::string> columns = names(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'sessions'");
  REQUIRE(columns.erase("last_seen_at") == 1);
  CHECK(names("SELECT a.attname FROM pg_trigger t JOIN pg_attribute a ON a.attrelid = t.tgrelid "
              "AND a.attnum = ANY (t.tgattr) WHERE t.tgname = 'sessions_changed_update'") == columns);

  // And it does fire.
  f.sign_in(1);
  f.sign_in(1);
  CHECK(f.changes_of([&] {
          c.exec("UPDATE sessions SET user_agent = 'Changed/1.0', last_seen_at = last_seen_at + 1");
        }) == Changes{"u1"});
}

TEST_CASE("PostgreSQL change feed: a lost connection is reported at once, then it listens again") {
  FeedFixture f;
  const std::int64_t pid = listener_pid(test::pg_store_url());
  pg::Connection admin(test::pg_store_url());
  const auto ended = Steady::now();
  admin.query("SELECT pg_terminate_backend($1)", pg::Params(pid));
  const auto lost = f.sink().wait_for("lost");
  REQUIRE(lost);
  const auto live = f.sink().wait_for("live");
  REQUIRE(live);
  CHECK(f.sink().take() == std::vector<std::string>{"lost", "live"});
  MESSAGE("feed_lost after ", std::chrono::duration<double, std::milli>(*lost - ended).count(),
          " ms, live again after ", std::chrono::duration<double, std::milli>(*live - ended).count(), " ms");
  CHECK(listener_pid(test::pg_store_url()) != pid);

  const std::string hash = f.sign_in(1);
  CHECK(f.changes_of([&] { f.backend().sessions().remove(hash); }) == Changes{"u1"});
}

TEST_CASE("PostgreSQL change feed: stopping it is prompt, listening or not") {
  {
    FeedFixture f;
    const auto start = Steady::now();
    f.feed().reset();
    CHECK(Steady::now() - start < std::chrono::milliseconds(500));
  }
  // A server that is not there: the feed keeps trying (and never says
  // live), and stops at once all the same.
  RecordingSink sink;
  const std::string nowhere = "postgresql://stork@/postgres?host=" + test::shared_pg_cluster().dir() + "/absent";
  auto feed = std::make_unique<pg::ChangeListener>(nowhere, sink);
  CHECK_FALSE(sink.wait_for("live", std::chrono::milliseconds(300)));  // several attempts by then
  const auto start = Steady::now();
  feed.reset();
  CHECK(Steady::now() - start < std::chrono::milliseconds(500));
  CHECK(sink.take().empty());
}

TEST_CASE("PostgreSQL change feed: delay from a sign-out's commit to the sink, over 200 of them") {
  FeedFixture f;
  std::vector<double> after_return_ms, from_call_ms;
  for (int i = 0; i < 200; ++i) {
    const std::string hash = f.sign_in(1);
    const auto called = Steady::now();
    f.backend().sessions().remove(hash);
    const auto returned = Steady::now();
    const auto heard = f.sink().wait_for("u1");
    REQUIRE(heard);
    REQUIRE(f.sink().take() == std::vector<std::string>{"u1"});
    after_return_ms.push_back(std::chrono::duration<double, std::milli>(*heard - returned).count());
    from_call_ms.push_back(std::chrono::duration<double, std::milli>(*heard - called).count());
  }
  std::sort(after_return_ms.begin(), after_return_ms.end());
  std::sort(from_call_ms.begin(), from_call_ms.end());
  MESSAGE("commit -> sink (from the write's return; negative: heard before it returned): median ",
          after_return_ms[100], " ms, p99 ", after_return_ms[198], " ms, max ", after_return_ms.back(), " ms");
  MESSAGE("write call -> sink: median ", from_call_ms[100], " ms, p99 ", from_call_ms[198], " ms, max ",
          from_call_ms.back(), " ms");
  CHECK(from_call_ms.back() < 1000.0);
}

TEST_SUITE_END();
