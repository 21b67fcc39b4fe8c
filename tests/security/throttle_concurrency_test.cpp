// The login throttle under concurrency: attempts in flight count, so that
// parallel requests buy no guesses beyond the rules (10 failures per
// address, then a 10-minute block; the account back-off), also when two
// servers share one store, and password re-verification meets the same
// throttle as login.

#include "in_process_server.hpp"
#include "load_probes.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

using namespace stork;
using namespace stork::test;

namespace {

// A hash cost of a few milliseconds: verifications overlap, as they do in
// production, instead of finishing before the next request is parsed.
Argon2Params overlapping_argon2() { return Argon2Params{1, 2u * 1024u * 1024u}; }

int status(const httplib::Result& r) { return r ? r->status : -1; }

std::string counts_text(const std::map<int, int>& counts) {
  std::string out;
  for (const auto& [code, n] : counts) out += std::to_string(code) + " x " + std::to_string(n) + "  ";
  return out;
}

int count(const std::map<int, int>& counts, int code) {
  const auto it = counts.find(code);
  return it == counts.end() ? 0 : it->second;
}

}  // namespace

TEST_CASE("throttle under concurrency: 120 wrong logins to 120 accounts from one address, at most 10 verified") {
  TestServer server(ServerOptions{.argon2 = overlapping_argon2(), .workers = 160});
  constexpr int kAccounts = 120;
  for (int i = 0; i < kAccounts; ++i) server.add_user("spray" + std::to_string(i), "spray's long secret");
  const auto counts = concurrent_statuses(kAccounts, [&](int i) {
    return status(post_login(server.client(), "spray" + std::to_string(i), "a wrong guess"));
  });
  MESSAGE("120 concurrent wrong logins from one address: " << counts_text(counts));
  CHECK(count(counts, 401) >= 1);
  CHECK(count(counts, 401) <= 10);
  CHECK(count(counts, 429) == kAccounts - count(counts, 401));
  // The address is blocked now, for the right password too.
  const auto after = post_login(server.client(), "spray0", "spray's long secret");
  REQUIRE(after);
  CHECK(after->status == 429);
  CHECK(std::stoi(after->get_header_value("Retry-After")) > 60);
}

TEST_CASE("throttle under concurrency: 40 wrong logins to one account, the first is verified and the rest wait") {
  TestServer server(ServerOptions{.argon2 = overlapping_argon2(), .workers = 64});
  server.add_user("target", "target's long secret");
  // The server's clock stands still: all 40 meet the 1 s back-off of the first failure.
  const auto counts = concurrent_statuses(40, [&](int) {
    return status(post_login(server.client(), "target", "a wrong guess"));
  });
  MESSAGE("40 concurrent wrong logins to one account: " << counts_text(counts));
  CHECK(count(counts, 401) >= 1);
  CHECK(count(counts, 401) <= 2);
  CHECK(count(counts, 429) == 40 - count(counts, 401));
}

TEST_CASE("throttle under concurrency: two servers on one database, 60 wrong logins from one address, at most 10 verified") {
  TempDir dir;
  const std::string shared = fresh_database(dir, "shared.db");
  ManualClock clock;
  TestServer first(ServerOptions{.argon2 = overlapping_argon2(), .workers = 64, .db = shared, .clock = &clock});
  TestServer second(ServerOptions{.argon2 = overlapping_argon2(), .workers = 64, .db = shared, .clock = &clock});
  constexpr int kAccounts = 60;
  for (int i = 0; i < kAccounts; ++i) first.add_user("split" + std::to_string(i), "split's long secret");
  const auto counts = concurrent_statuses(kAccounts, [&](int i) {
    const TestServer& to = i % 2 ? first : second;
    return status(post_login(to.client(), "split" + std::to_string(i), "a wrong guess"));
  });
  MESSAGE("60 concurrent wrong logins over two servers: " << counts_text(counts));
  CHECK(count(counts, 401) >= 1);
  CHECK(count(counts, 401) <= 10);
  CHECK(count(counts, 429) == kAccounts - count(counts, 401));
  // Both servers see the block.
  CHECK(status(post_login(first.client(), "split0", "split's long secret")) == 429);
  CHECK(status(post_login(second.client(), "split1", "split's long secret")) == 429);
}

TEST_CASE("throttle under concurrency: 25 wrong current passwords on one session give 1 x 403 and 24 x 429") {
  TestServer server(ServerOptions{.argon2 = overlapping_argon2(), .workers = 64});
  server.add_user("pat", "pat's long secret");
  const auto session = login(server.client(), "pat", "pat's long secret");
  REQUIRE(session);
  const auto counts = concurrent_statuses(25, [&](int) {
    auto cli = server.client();
    const nlohmann::json body = {{"old_password", "a wrong guess"}, {"new_password", "pat's next secret"}};
    return status(cli.Put("/api/password", widget_headers(session->cookie(), session->csrf), body.dump(),
                          "application/json"));
  });
  MESSAGE("25 concurrent wrong current passwords: " << counts_text(counts));
  CHECK(count(counts, 403) == 1);
  CHECK(count(counts, 429) == 24);
  // The guesses counted in the throttle that sign-in meets.
  const auto signin = post_login(server.client(), "pat", "pat's long secret");
  REQUIRE(signin);
  CHECK(signin->status == 429);
  CHECK_FALSE(signin->get_header_value("Retry-After").empty());
}
