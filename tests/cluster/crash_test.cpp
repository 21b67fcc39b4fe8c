// Crash safety on PostgreSQL: under write load, a SIGKILL of Stork and an
// immediate stop of PostgreSQL itself (a crash of the database server)
// lose no write that was acknowledged with a 2xx, Stork reconnects by
// itself, and /healthz says 503 while the store is gone and 200 after.

#include "stork_processes.hpp"
#include "test_database.hpp"

#include "pg_cluster.hpp"
#include "postgresql/pg_connection.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

namespace {

using namespace stork;
using namespace std::chrono_literals;
using test::StorkProcesses;
using test::Visitor;

constexpr int kWriters = 4;
constexpr int kProductsPerWriter = 2500;  // more than the test has time to add

// Polls until /healthz answers `status`, for at most `limit`.
bool health_becomes(StorkProcesses& cluster, int status, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (cluster.health(0) == status) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

}  // namespace

// A crash of the database server: there is none with SQLite.
TEST_SUITE_BEGIN("postgresql-only");

TEST_CASE("crash safety on PostgreSQL: SIGKILL of Stork and a crash of PostgreSQL lose no acknowledged write") {
  REQUIRE_MESSAGE(test::testing_postgresql(), "needs STORK_TEST_BACKEND=postgresql: it stops the database server");
  std::vector<std::pair<std::string, std::string>> users;
  for (int u = 0; u < kWriters; ++u) users.push_back({"writer" + std::to_string(u), "amber-canyon-kettle-" + std::to_string(u)});
  StorkProcesses cluster(1, users);
  REQUIRE(cluster.command({"seed", "--users", "0", "--products", std::to_string(kWriters * kProductsPerWriter)}) == 0);
  std::vector<Visitor> visitors;
  for (const auto& [name, password] : users) {
    visitors.push_back(cluster.login(0, name, password));
    REQUIRE_FALSE(visitors.back().token.empty());
  }

  // Each writer adds its own products to its wishlist, one after another;
  // an add answered 200 is acknowledged and must be in the store at the end.
  std::mutex mutex;
  std::vector<std::set<int>> acknowledged(kWriters);
  std::atomic<bool> stop{false};
  std::atomic<int> refused{0};
  std::vector<std::jthread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; !stop && i < kProductsPerWriter; ++i) {
        const int product = w * kProductsPerWriter + i + 1;
        const auto r = cluster.act(0, visitors[static_cast<std::size_t>(w)], "PUT",
                                   "/api/products/" + std::to_string(product) + "/wishlist");
        if (r.status == 200) {
          const std::lock_guard lock(mutex);
          acknowledged[static_cast<std::size_t>(w)].insert(product);
        } else {
          ++refused;  // not acknowledged: the process or the store was down
          --i;        // try the same product again
          std::this_thread::sleep_for(20ms);
        }
      }
    });
  }
  const auto acked = [&] {
    const std::lock_guard lock(mutex);
    std::size_t n = 0;
    for (const auto& s : acknowledged) n += s.size();
    return n;
  };

  std::this_thread::sleep_for(700ms);
  const std::size_t before_kill = acked();
  cluster.kill(0);
  cluster.start(0);
  std::this_thread::sleep_for(700ms);
  const std::size_t before_pg_crash = acked();

  test::shared_pg_cluster().stop("immediate");
  CHECK(health_becomes(cluster, 503, 10s));
  const int during_outage = cluster.health(0);
  test::shared_pg_cluster().restart();
  CHECK(health_becomes(cluster, 200, 30s));  // the same process, reconnected
  std::this_thread::sleep_for(700ms);
  stop = true;
  writers.clear();
  const std::size_t total = acked();
  MESSAGE("acknowledged adds: " << before_kill << " before the SIGKILL, " << before_pg_crash
                                << " before PostgreSQL's crash, " << total << " in all; " << refused.load()
                                << " refused or unanswered while down; /healthz during the outage: " << during_outage);
  CHECK(before_kill > 0);
  CHECK(before_pg_crash > before_kill);
  CHECK(total > before_pg_crash);
  CHECK(during_outage == 503);

  pg::Connection db(cluster.db());
  for (int w = 0; w < kWriters; ++w) {
    CAPTURE(w);
    const std::string& name = users[static_cast<std::size_t>(w)].first;
    const pg::Result rows = db.query(
        "SELECT w.product_id FROM wishlist w JOIN users u ON u.id = w.user_id WHERE u.username = $1",
        pg::Params(name));
    std::set<int> stored;
    for (int r = 0; r < rows.rows(); ++r) stored.insert(static_cast<int>(rows.int64(r, 0)));
    std::size_t missing = 0;
    for (const int p : acknowledged[static_cast<std::size_t>(w)]) missing += stored.count(p) == 0;
    CHECK(missing == 0);
    // Sessions made before both crashes still work.
    CHECK(cluster.me(0, visitors[static_cast<std::size_t>(w)]) == 200);
  }
}

TEST_SUITE_END();
