// A password change racing sign-ins that started before it: once the
// change has returned, no session made with the old password is valid,
// whatever the interleaving. Many sign-ins with the old password stream in
// while the change runs, so that one of them is usually between reading the
// old hash and starting its session when the change ends the sessions.

#include "in_process_server.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

using namespace stork;
using namespace stork::test;

namespace {

// Verification takes a few milliseconds, the window a racing sign-in
// holds the old hash.
Argon2Params slow_enough_argon2() { return Argon2Params{1, 4u * 1024u * 1024u}; }

int me_status(const TestServer& server, const std::string& token) {
  auto cli = server.client();
  auto r = cli.Get("/api/me", widget_headers("stork_sid=" + token));
  return r ? r->status : -1;
}

struct RoundResult {
  std::vector<std::string> racing_tokens;  // from sign-ins with the old password that got 200
  std::string changer_token;               // the changer's session after the change
  int change_status = 0;
};

RoundResult race_a_password_change(TestServer& server, int round) {
  const std::string user = "racer" + std::to_string(round);
  const std::string old_password = "racer's first secret";
  server.add_user(user, old_password);
  // Each racing client its own address, so the failures after the change
  // do not add up to an address block over the rounds.
  auto from = [&](int client) {
    return httplib::Headers{{"X-Forwarded-For",
                             "198.51." + std::to_string(round) + "." + std::to_string(client + 1)}};
  };
  const auto changer = post_login(server.client(), user, old_password, from(99));
  REQUIRE(changer);
  REQUIRE(changer->status == 200);
  const std::string changer_token = set_cookie_value(*changer, "stork_sid");
  const std::string csrf = nlohmann::json::parse(changer->body).at("csrf").get<std::string>();

  RoundResult result;
  std::mutex tokens_mutex;
  std::atomic<bool> stop{false};
  std::atomic<int> signed_in{0};
  constexpr int kRacers = 6;
  std::vector<std::thread> racers;
  for (int c = 0; c < kRacers; ++c) {
    racers.emplace_back([&, c] {
      // A user keeps at most 20 sessions (the oldest end first): stop short
      // of that, or the changer's own would end.
      while (!stop && signed_in < 15) {
        const auto r = post_login(server.client(), user, old_password, from(c));
        if (!r || r->status != 200) continue;
        ++signed_in;
        std::lock_guard lock(tokens_mutex);
        result.racing_tokens.push_back(set_cookie_value(*r, "stork_sid"));
      }
    });
  }
  // Change once the sign-ins are streaming.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (signed_in < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  auto cli = server.client();
  const nlohmann::json body = {{"old_password", old_password}, {"new_password", "racer's second secret"}};
  const auto change = cli.Put("/api/password", widget_headers("stork_sid=" + changer_token, csrf),
                              body.dump(), "application/json");
  // The change has returned: sign-ins still in flight finish, new ones
  // stop.
  stop = true;
  for (auto& t : racers) t.join();
  result.change_status = change ? change->status : -1;
  if (change) result.changer_token = set_cookie_value(*change, "stork_sid");
  return result;
}

}  // namespace

TEST_CASE("credential race: no session signed in with the old password outlives a password change") {
  TestServer server(ServerOptions{.argon2 = slow_enough_argon2(), .workers = 64, .trusted_proxy = "127.0.0.1"});
  constexpr int kRounds = 12;
  int survivors = 0, rounds_with_survivors = 0, racing_sessions = 0;
  for (int round = 0; round < kRounds; ++round) {
    CAPTURE(round);
    const RoundResult r = race_a_password_change(server, round);
    REQUIRE(r.change_status == 200);
    REQUIRE_FALSE(r.changer_token.empty());
    CHECK(me_status(server, r.changer_token) == 200);  // the changer continues
    int in_round = 0;
    for (const auto& token : r.racing_tokens) {
      ++racing_sessions;
      if (me_status(server, token) != 401) ++in_round;
    }
    survivors += in_round;
    if (in_round > 0) ++rounds_with_survivors;
  }
  MESSAGE(racing_sessions << " sessions signed in with the old password during " << kRounds
                          << " changes; still valid after the change: " << survivors << " (in "
                          << rounds_with_survivors << " rounds)");
  CHECK(racing_sessions >= kRounds * 3);  // the sign-ins did race the change
  CHECK(survivors == 0);
}
