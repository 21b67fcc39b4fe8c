#pragma once
// The contract every SessionStore backend must pass. A backend's test
// provides a harness type H with a default constructor that makes a fresh,
// empty store in which users 1, 2 and 3 exist, and `SessionStore& store()`;
// then: TEST_CASE_TEMPLATE_INVOKE(session_store_contract, H);
//
// Times are plain numbers: expiry is decided by the arguments, never by
// the clock, so the suite runs the same on any backend.

#include "sessions/session_store.hpp"
#include "sessions/token.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace stork::contract {

inline constexpr UnixSeconds kT0 = 1'700'000'000;
inline constexpr std::int64_t kIdle = 1800;

inline Session make_session(std::int64_t user_id, UnixSeconds created, UnixSeconds absolute_ttl = 3600) {
  Session s;
  s.public_id = new_public_id();
  s.user_id = user_id;
  s.created_at = created;
  s.last_seen_at = created;
  s.absolute_expires_at = created + absolute_ttl;
  s.remember = false;
  s.user_agent = "Contract/1.0";
  s.publisher = "acme";
  s.top_site = "https://acme.example";
  return s;
}

inline std::vector<std::string> public_ids(const std::vector<Session>& sessions) {
  std::vector<std::string> out;
  for (const auto& s : sessions) out.push_back(s.public_id);
  return out;
}

}  // namespace stork::contract

TEST_CASE_TEMPLATE_DEFINE("SessionStore contract", Harness, session_store_contract) {
  using namespace stork;
  using namespace stork::contract;
  Harness harness;
  SessionStore& store = harness.store();

  SUBCASE("insert then find returns every field; unknown hash is nothing") {
    Session s = make_session(1, kT0);
    s.remember = true;
    s.user_agent = "Mozilla/5.0 (X11) ünïcode";
    const std::string h = hash_token(new_session_token());
    store.insert(h, s);
    const auto found = store.find(h);
    REQUIRE(found.has_value());
    CHECK(found->public_id == s.public_id);
    CHECK(found->user_id == 1);
    CHECK(found->created_at == kT0);
    CHECK(found->last_seen_at == kT0);
    CHECK(found->absolute_expires_at == kT0 + 3600);
    CHECK(found->remember);
    CHECK(found->user_agent == s.user_agent);
    CHECK(found->publisher == "acme");
    CHECK(found->top_site == "https://acme.example");
    CHECK(found->token_expires_at == 0);
    CHECK_FALSE(store.find(hash_token(new_session_token())).has_value());
  }

  SUBCASE("a short-lived token's expiry is kept, and list_of_user returns it too") {
    Session s = make_session(2, kT0);
    s.token_expires_at = kT0 + 600;
    const std::string h = hash_token(new_session_token());
    store.insert(h, s);
    CHECK(store.find(h)->token_expires_at == kT0 + 600);
    const auto listed = store.list_of_user(2);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].token_expires_at == kT0 + 600);
  }

  SUBCASE("find returns expired sessions too: expiry is the policy's decision") {
    const std::string h = hash_token(new_session_token());
    store.insert(h, make_session(1, kT0 - 100000));
    CHECK(store.find(h).has_value());
  }

  SUBCASE("touch sets last_seen_at of that session only") {
    const std::string a = hash_token(new_session_token());
    const std::string b = hash_token(new_session_token());
    store.insert(a, make_session(1, kT0));
    store.insert(b, make_session(1, kT0));
    store.touch(a, kT0 + 500);
    CHECK(store.find(a)->last_seen_at == kT0 + 500);
    CHECK(store.find(a)->created_at == kT0);
    CHECK(store.find(b)->last_seen_at == kT0);
    store.touch(hash_token(new_session_token()), kT0 + 600);  // unknown: no effect, no error
    CHECK(store.find(a)->last_seen_at == kT0 + 500);
  }

  SUBCASE("remove reports whether something was removed") {
    const std::string h = hash_token(new_session_token());
    store.insert(h, make_session(1, kT0));
    CHECK(store.remove(h));
    CHECK_FALSE(store.find(h).has_value());
    CHECK_FALSE(store.remove(h));
  }

  SUBCASE("remove_by_public_id ends only the user's own session") {
    const std::string h = hash_token(new_session_token());
    const Session s = make_session(1, kT0);
    store.insert(h, s);
    CHECK_FALSE(store.remove_by_public_id(2, s.public_id));
    CHECK(store.find(h).has_value());
    CHECK_FALSE(store.remove_by_public_id(1, new_public_id()));
    CHECK(store.remove_by_public_id(1, s.public_id));
    CHECK_FALSE(store.find(h).has_value());
    CHECK_FALSE(store.remove_by_public_id(1, s.public_id));
  }

  SUBCASE("remove_all_of_user: all, or all but one; other users untouched") {
    std::vector<std::string> mine;
    for (int i = 0; i < 4; ++i) {
      mine.push_back(hash_token(new_session_token()));
      store.insert(mine.back(), make_session(1, kT0 + i));
    }
    const std::string theirs = hash_token(new_session_token());
    store.insert(theirs, make_session(2, kT0));

    CHECK(store.remove_all_of_user(1, mine[2]) == 3);
    CHECK(store.find(mine[2]).has_value());
    CHECK_FALSE(store.find(mine[0]).has_value());
    CHECK(store.find(theirs).has_value());
    CHECK(store.remove_all_of_user(1, {}) == 1);
    CHECK(store.list_of_user(1).empty());
    CHECK(store.find(theirs).has_value());
    CHECK(store.remove_all_of_user(3, {}) == 0);
  }

  SUBCASE("list_of_user: the user's sessions, newest first") {
    const Session older = make_session(1, kT0);
    const Session newest = make_session(1, kT0 + 20);
    const Session middle = make_session(1, kT0 + 10);
    store.insert(hash_token(new_session_token()), older);
    store.insert(hash_token(new_session_token()), newest);
    store.insert(hash_token(new_session_token()), middle);
    store.insert(hash_token(new_session_token()), make_session(2, kT0 + 30));
    CHECK(public_ids(store.list_of_user(1)) ==
          std::vector<std::string>{newest.public_id, middle.public_id, older.public_id});
    CHECK(store.list_of_user(2).size() == 1);
    CHECK(store.list_of_user(3).empty());
  }

  SUBCASE("token hashes oldest first") {
    const std::string h1 = hash_token(new_session_token());
    const std::string h2 = hash_token(new_session_token());
    const std::string h3 = hash_token(new_session_token());
    store.insert(h2, make_session(1, kT0 + 5));
    store.insert(h3, make_session(1, kT0 + 9));
    store.insert(h1, make_session(1, kT0 + 1));
    store.insert(hash_token(new_session_token()), make_session(2, kT0));
    CHECK(store.token_hashes_of_user_oldest_first(1) == std::vector<std::string>{h1, h2, h3});
  }

  SUBCASE("purge_expired removes idle and absolutely expired sessions, at the boundary too") {
    const UnixSeconds now = kT0 + 10000;
    const std::string fresh = hash_token(new_session_token());
    const std::string idle = hash_token(new_session_token());
    const std::string idle_boundary = hash_token(new_session_token());
    const std::string absolute = hash_token(new_session_token());
    const std::string absolute_boundary = hash_token(new_session_token());
    Session s = make_session(1, now - 100, 100000);
    store.insert(fresh, s);
    s = make_session(1, now - kIdle - 1, 100000);
    store.insert(idle, s);
    s = make_session(1, now - kIdle, 100000);
    store.insert(idle_boundary, s);
    s = make_session(2, now - 50, 40);
    store.insert(absolute, s);
    s = make_session(2, now - 50, 50);
    store.insert(absolute_boundary, s);

    CHECK(store.count_live(now, kIdle) == 1);
    CHECK(store.purge_expired(now, kIdle) == 4);
    CHECK(store.find(fresh).has_value());
    CHECK_FALSE(store.find(idle).has_value());
    CHECK_FALSE(store.find(idle_boundary).has_value());
    CHECK_FALSE(store.find(absolute).has_value());
    CHECK_FALSE(store.find(absolute_boundary).has_value());
    CHECK(store.purge_expired(now, kIdle) == 0);
  }

  SUBCASE("a touch keeps a session out of the idle purge") {
    const std::string h = hash_token(new_session_token());
    store.insert(h, make_session(1, kT0, 100000));
    store.touch(h, kT0 + kIdle - 1);
    CHECK(store.count_live(kT0 + kIdle + 10, kIdle) == 1);
    CHECK(store.purge_expired(kT0 + kIdle + 10, kIdle) == 0);
    CHECK(store.find(h).has_value());
  }

  SUBCASE("count_live counts all users' live sessions") {
    CHECK(store.count_live(kT0, kIdle) == 0);
    store.insert(hash_token(new_session_token()), make_session(1, kT0));
    store.insert(hash_token(new_session_token()), make_session(2, kT0));
    store.insert(hash_token(new_session_token()), make_session(3, kT0 - 5000));
    CHECK(store.count_live(kT0 + 1, kIdle) == 2);
    CHECK(store.count_live(kT0 + kIdle, kIdle) == 0);
  }
}
