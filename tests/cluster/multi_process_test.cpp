// What one Stork process does holds on every other process on the same
// database (one PostgreSQL database, or one SQLite file): sign-ins,
// sign-outs, password changes, disables and removals, the guess limits,
// and the rating aggregates. A sign-in holds everywhere at once; an ending
// within StorkProcesses::kChangeBound, the time a change takes to reach
// another process's read cache (its backend's change feed).

#include "stork_processes.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <thread>

namespace {

using namespace stork;
using test::StorkProcesses;
using test::Visitor;

const std::string kAnnPassword = "correct-horse-battery-1";
const std::string kBoPassword = "staple-meadow-lantern-2";

}  // namespace

TEST_CASE("processes: a session from one process is valid on the others, and every ending ends it on all") {
  StorkProcesses cluster(3, {{"ann", kAnnPassword}, {"bo", kBoPassword}});

  SUBCASE("sign-in on one, valid on all; sign-out on another, gone on all") {
    const Visitor v = cluster.login(0, "ann", kAnnPassword);
    REQUIRE_FALSE(v.token.empty());
    for (std::size_t p = 0; p < cluster.size(); ++p) CHECK(cluster.me(p, v) == 200);
    CHECK(cluster.act(2, v, "POST", "/api/logout").status == 204);
    for (std::size_t p = 0; p < cluster.size(); ++p) CHECK(cluster.me_settled(p, v, 401) == 401);
  }

  SUBCASE("sign out everywhere through one process ends the sessions made through the others") {
    const Visitor a = cluster.login(0, "ann", kAnnPassword);
    const Visitor b = cluster.login(1, "ann", kAnnPassword);
    const Visitor bo = cluster.login(2, "bo", kBoPassword);
    CHECK(cluster.act(2, a, "POST", "/api/logout-all").status == 204);
    for (std::size_t p = 0; p < cluster.size(); ++p) {
      CHECK(cluster.me_settled(p, a, 401) == 401);
      CHECK(cluster.me_settled(p, b, 401) == 401);
      CHECK(cluster.me(p, bo) == 200);  // another user's session stays
    }
  }

  SUBCASE("a password change through one process ends the other sessions on every process") {
    const Visitor keep = cluster.login(0, "ann", kAnnPassword);
    const Visitor other = cluster.login(1, "ann", kAnnPassword);
    const nlohmann::json change = {{"old_password", kAnnPassword}, {"new_password", "violet-harbour-engine-3"}};
    const test::ProcessReply changed = cluster.act(0, keep, "PUT", "/api/password", change.dump());
    REQUIRE(changed.status == 200);
    // The device that changed it goes on under a new token.
    const Visitor rotated{test::session_cookie_of(changed.headers), changed.json().value("csrf", "")};
    REQUIRE_FALSE(rotated.token.empty());
    for (std::size_t p = 0; p < cluster.size(); ++p) {
      CHECK(cluster.me_settled(p, other, 401) == 401);
      CHECK(cluster.me_settled(p, keep, 401) == 401);
      CHECK(cluster.me(p, rotated) == 200);
    }
    int status = 0;
    cluster.login(2, "ann", kAnnPassword, &status);
    CHECK(status == 401);
  }

  SUBCASE("stork user disable and stork user remove end the sessions on every process") {
    const Visitor a = cluster.login(0, "ann", kAnnPassword);
    const Visitor b = cluster.login(1, "bo", kBoPassword);
    REQUIRE(cluster.command({"user", "disable", "ann"}) == 0);
    REQUIRE(cluster.command({"user", "remove", "bo"}) == 0);
    for (std::size_t p = 0; p < cluster.size(); ++p) {
      CHECK(cluster.me_settled(p, a, 401) == 401);
      CHECK(cluster.me_settled(p, b, 401) == 401);
    }
    int status = 0;
    cluster.login(2, "ann", kAnnPassword, &status);
    CHECK(status == 401);
  }
  MESSAGE("longest time for an ending to show on every process: "
          << cluster.longest_wait().count() << " µs (bound "
          << test::StorkProcesses::kChangeBound.count() << " ms)");
}

TEST_CASE("processes: three processes give one address no more guesses than one process does") {
  StorkProcesses cluster(3, {});
  // 45 wrong sign-ins from one address to 45 names, spread over the three
  // processes at once. The address limit (10 failures) is counted in the
  // shared store, so at most 10 are verified (401) and the rest refused.
  std::atomic<int> verified{0}, refused{0}, other{0};
  std::vector<std::jthread> clients;
  for (int t = 0; t < 9; ++t) {
    clients.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        int status = 0;
        cluster.login(static_cast<std::size_t>(t % 3), "nobody" + std::to_string(t * 5 + i), "wrong-password", &status);
        ++(status == 401 ? verified : status == 429 ? refused : other);
      }
    });
  }
  clients.clear();
  MESSAGE("45 wrong sign-ins over 3 processes: " << verified.load() << " verified, " << refused.load() << " refused");
  CHECK(verified <= 10);
  CHECK(verified >= 1);
  CHECK(refused == 45 - verified);
  CHECK(other == 0);
}

TEST_CASE("processes: ratings written through two processes at once keep the aggregates exact") {
  std::vector<std::pair<std::string, std::string>> users;
  for (int u = 0; u < 4; ++u) users.push_back({"rater" + std::to_string(u), "quiet-river-stone-" + std::to_string(u)});
  StorkProcesses cluster(2, users);
  REQUIRE(cluster.command({"seed", "--users", "0", "--products", "3"}) == 0);
  std::vector<Visitor> visitors;
  for (const auto& [name, password] : users) {
    visitors.push_back(cluster.login(visitors.size() % 2, name, password));
    REQUIRE_FALSE(visitors.back().token.empty());
  }
  // Each visitor rates products 1..3 over and over through alternating
  // processes, and toggles its wishlist; everyone at once.
  std::atomic<int> failures{0};
  std::vector<std::jthread> clients;
  for (std::size_t v = 0; v < visitors.size(); ++v) {
    clients.emplace_back([&, v] {
      for (int i = 0; i < 30; ++i) {
        const std::size_t process = (v + static_cast<std::size_t>(i)) % 2;
        const int product = 1 + i % 3;
        const nlohmann::json stars = {{"stars", 1 + (i + static_cast<int>(v)) % 5}};
        const std::string base = "/api/products/" + std::to_string(product);
        if (cluster.act(process, visitors[v], "PUT", base + "/rating", stars.dump()).status != 200) ++failures;
        const char* method = i % 2 ? "DELETE" : "PUT";
        if (cluster.act(process, visitors[v], method, base + "/wishlist").status != 200) ++failures;
      }
    });
  }
  clients.clear();
  CHECK(failures == 0);
  for (int product = 1; product <= 3; ++product) {
    CAPTURE(product);
    const std::string id = std::to_string(product);
    const auto stored = [&](const std::string& sql) { return test::database_scalar(cluster.db(), sql + id); };
    const std::int64_t sum = stored("SELECT rating_sum FROM products WHERE id = ");
    const std::int64_t count = stored("SELECT rating_count FROM products WHERE id = ");
    CHECK(sum == stored("SELECT coalesce(sum(stars), 0) FROM ratings WHERE product_id = "));
    CHECK(count == stored("SELECT count(*) FROM ratings WHERE product_id = "));
    CHECK(count == 4);  // every visitor rated every product
  }
  // And the product JSON, from either process, says the same.
  for (std::size_t p = 0; p < 2; ++p) {
    CAPTURE(p);
    CHECK(cluster.settled([&] { return cluster.get(p, "/products/1.json").json()["rating"]["count"] == 4; }));
  }
}
