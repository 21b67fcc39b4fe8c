// Several visitors at once: per-thread SQLite connections and write
// transactions must keep the aggregates right and never answer 5xx.

#include "in_process_server.hpp"

#include <doctest/doctest.h>

#include <mutex>
#include <thread>

using namespace stork;
using namespace stork::test;

TEST_CASE("concurrent ratings and wishlist changes keep the product's aggregate exact") {
  TestServer server;
  constexpr int kVisitors = 6;
  constexpr int kRounds = 15;
  std::vector<Login> visitors;
  for (int i = 0; i < kVisitors; ++i) {
    const std::string name = "visitor" + std::to_string(i);
    const std::string password = "Vq7#mR2!xLp9-" + std::to_string(i);
    REQUIRE(server.app().accounts.add({name, "V", std::to_string(i), hash_password(password, cheap_argon2())}, 0));
    visitors.push_back(login(server, name, password));
    REQUIRE(visitors.back().reply.status == 200);
  }

  std::mutex mutex;
  std::vector<int> unexpected;
  std::vector<std::thread> threads;
  for (int v = 0; v < kVisitors; ++v) {
    threads.emplace_back([&, v] {
      const Login& me = visitors[static_cast<std::size_t>(v)];
      const auto writes = with(with(widget_headers(), sid_cookie(me.token)), csrf(me.csrf));
      httplib::Client cli("127.0.0.1", server.port());
      cli.set_read_timeout(10, 0);
      for (int round = 0; round < kRounds; ++round) {
        const int stars = 1 + (v + round) % 5;
        const auto rated = cli.Put("/api/products/1/rating", writes, R"({"stars":)" + std::to_string(stars) + "}",
                                   "application/json");
        const auto wished = round % 2 == 0 ? cli.Put("/api/products/1/wishlist", writes, "", "application/json")
                                           : cli.Delete("/api/products/1/wishlist", writes, "", "application/json");
        const auto read = cli.Get("/products/1.json", sid_cookie(me.token));
        std::lock_guard lock(mutex);
        for (const auto* res : {&rated, &wished, &read}) {
          if (!*res || (*res)->status != 200) unexpected.push_back(*res ? (*res)->status : -1);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(unexpected.empty());

  CHECK(server.scalar("SELECT rating_count FROM products WHERE id = 1") == kVisitors);
  CHECK(server.scalar("SELECT rating_sum FROM products WHERE id = 1") ==
        server.scalar("SELECT sum(stars) FROM ratings WHERE product_id = 1"));
  std::int64_t expected_sum = 0;
  for (int v = 0; v < kVisitors; ++v) expected_sum += 1 + (v + kRounds - 1) % 5;
  CHECK(server.scalar("SELECT sum(stars) FROM ratings WHERE product_id = 1") == expected_sum);
  // kRounds is odd: every visitor's last change put the product on the wishlist.
  CHECK(server.scalar("SELECT count(*) FROM wishlist WHERE product_id = 1") == kVisitors);
}
