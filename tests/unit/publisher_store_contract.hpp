#pragma once
// The contract every PublisherStore backend must pass. A backend's test
// provides a harness type H with a default constructor that makes a fresh,
// empty store, `PublisherStore& store()`, and `PublisherStore& other()`: a
// second store object on the same data, as another process would hold;
// then: TEST_CASE_TEMPLATE_INVOKE(publisher_store_contract, H);

#include "publishers/publisher_store.hpp"
#include "publishers/publishers.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace stork::contract {

inline constexpr UnixSeconds kPublisherT0 = 1'700'000'000;

inline std::vector<std::string> keys_of(const std::vector<Publisher>& publishers) {
  std::vector<std::string> out;
  for (const auto& p : publishers) out.push_back(p.key);
  return out;
}

}  // namespace stork::contract

TEST_CASE_TEMPLATE_DEFINE("PublisherStore contract", Harness, publisher_store_contract) {
  using namespace stork;
  using namespace stork::contract;
  using Origins = std::vector<std::string>;
  Harness harness;
  PublisherStore& store = harness.store();

  SUBCASE("add then find returns every field, origins sorted; an unknown key is nothing") {
    CHECK(store.add("acme", "Acme Nouvelles — édition ünïcode",
                    {"https://shop.acme.test", "https://acme.test", "http://localhost:8081"}, kPublisherT0));
    const auto found = store.find("acme");
    REQUIRE(found.has_value());
    CHECK(found->key == "acme");
    CHECK(found->display_name == "Acme Nouvelles — édition ünïcode");
    CHECK(found->origins == Origins{"http://localhost:8081", "https://acme.test", "https://shop.acme.test"});
    CHECK(found->created_at == kPublisherT0);
    CHECK_FALSE(store.find("beta").has_value());
    CHECK_FALSE(store.find("").has_value());
  }

  SUBCASE("without a name a publisher is named by its key") {
    CHECK(store.add("shutterbug", std::nullopt, {"https://shutterbug.test"}, kPublisherT0));
    CHECK(store.find("shutterbug")->display_name == "shutterbug");
  }

  SUBCASE("adding an existing key adds the origins it lacks, keeps its name unless one is given") {
    REQUIRE(store.add("acme", "Acme News", {"https://acme.test"}, kPublisherT0));
    CHECK_FALSE(store.add("acme", std::nullopt, {"https://acme.test", "https://b.acme.test"}, kPublisherT0 + 5));
    auto found = store.find("acme");
    CHECK(found->display_name == "Acme News");
    CHECK(found->origins == Origins{"https://acme.test", "https://b.acme.test"});
    CHECK(found->created_at == kPublisherT0);
    CHECK_FALSE(store.add("acme", "Acme Daily", {}, kPublisherT0 + 9));
    CHECK(store.find("acme")->display_name == "Acme Daily");
    CHECK(store.find("acme")->origins.size() == 2);
  }

  SUBCASE("list: every publisher by key, with or without origins") {
    REQUIRE(store.add("zeta", "Zeta", {"https://zeta.test"}, kPublisherT0));
    REQUIRE(store.add("alpha", "Alpha", {"https://b.alpha.test", "https://a.alpha.test"}, kPublisherT0));
    REQUIRE(store.add("Mid", "Mid", {}, kPublisherT0));  // byte order: upper case first
    const auto all = store.list();
    CHECK(keys_of(all) == std::vector<std::string>{"Mid", "alpha", "zeta"});
    CHECK(all[0].origins.empty());
    CHECK(all[1].origins == Origins{"https://a.alpha.test", "https://b.alpha.test"});
    CHECK(all[2].display_name == "Zeta");
    CHECK(store.list().size() == 3);
  }

  SUBCASE("an empty store lists nothing") { CHECK(store.list().empty()); }

  SUBCASE("add_origin: added, already there, or no such publisher") {
    REQUIRE(store.add("acme", "Acme", {"https://acme.test"}, kPublisherT0));
    CHECK(store.add_origin("acme", "https://new.acme.test") == OriginChange::changed);
    CHECK(store.add_origin("acme", "https://new.acme.test") == OriginChange::unchanged);
    CHECK(store.add_origin("nobody", "https://new.acme.test") == OriginChange::no_publisher);
    CHECK(store.find("acme")->origins == Origins{"https://acme.test", "https://new.acme.test"});
    CHECK_FALSE(store.find("nobody").has_value());
  }

  SUBCASE("remove_origin: removed, not there, or no such publisher; other publishers keep theirs") {
    REQUIRE(store.add("acme", "Acme", {"https://acme.test", "https://shared.test"}, kPublisherT0));
    REQUIRE(store.add("beta", "Beta", {"https://shared.test"}, kPublisherT0));
    CHECK(store.remove_origin("acme", "https://shared.test") == OriginChange::changed);
    CHECK(store.remove_origin("acme", "https://shared.test") == OriginChange::unchanged);
    CHECK(store.remove_origin("acme", "https://never.test") == OriginChange::unchanged);
    CHECK(store.remove_origin("nobody", "https://acme.test") == OriginChange::no_publisher);
    CHECK(store.find("acme")->origins == Origins{"https://acme.test"});
    CHECK(store.find("beta")->origins == Origins{"https://shared.test"});
    CHECK(store.remove_origin("acme", "https://acme.test") == OriginChange::changed);
    CHECK(store.find("acme")->origins.empty());  // the publisher stays, framed by nobody
  }

  SUBCASE("remove takes the publisher's origins with it") {
    REQUIRE(store.add("acme", "Acme", {"https://acme.test", "https://b.acme.test"}, kPublisherT0));
    REQUIRE(store.add("beta", "Beta", {"https://beta.test"}, kPublisherT0));
    CHECK(store.remove("acme"));
    CHECK_FALSE(store.remove("acme"));
    CHECK_FALSE(store.remove("nobody"));
    CHECK_FALSE(store.find("acme").has_value());
    CHECK(keys_of(store.list()) == std::vector<std::string>{"beta"});
    CHECK(store.add_origin("acme", "https://acme.test") == OriginChange::no_publisher);
    // Registered again, it starts without the old origins.
    CHECK(store.add("acme", std::nullopt, {"https://c.acme.test"}, kPublisherT0 + 1));
    CHECK(store.find("acme")->origins == Origins{"https://c.acme.test"});
    CHECK(store.find("acme")->display_name == "acme");
  }

  SUBCASE("version changes with every change, through any store on the same data, and not with reads") {
    PublisherStore& other = harness.other();
    auto v = store.version();
    const auto changed = [&](const char* what) {
      CAPTURE(what);
      const auto now = other.version();
      CHECK(now != v);
      CHECK(store.version() == now);
      v = now;
    };
    store.add("acme", "Acme", {"https://acme.test"}, kPublisherT0);
    changed("add");
    store.add("acme", "Acme Daily", {}, kPublisherT0);
    changed("rename");
    other.add_origin("acme", "https://b.acme.test");
    changed("add_origin through the other store");
    store.remove_origin("acme", "https://acme.test");
    changed("remove_origin");
    store.find("acme");
    store.list();
    CHECK(store.version() == v);
    CHECK(other.version() == v);
    other.remove("acme");
    changed("remove");
    CHECK(store.find("acme") == std::nullopt);
  }

  SUBCASE("a directory over one store follows changes made through another at its next check") {
    PublisherStore& other = harness.other();
    REQUIRE(store.add("acme", "Acme", {"https://acme.test", "https://b.acme.test"}, kPublisherT0));
    auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    const PublisherDirectory directory(store, std::chrono::milliseconds(200), [&] { return now; });
    CHECK(directory.key_for_origin("https://b.acme.test") == "acme");

    REQUIRE(other.remove_origin("acme", "https://b.acme.test") == OriginChange::changed);
    REQUIRE(other.add_origin("acme", "https://c.acme.test") == OriginChange::changed);
    now += std::chrono::milliseconds(199);  // not yet due: the snapshot answers
    CHECK(directory.is_registered_origin("https://b.acme.test"));
    now += std::chrono::milliseconds(1);
    CHECK_FALSE(directory.is_registered_origin("https://b.acme.test"));
    CHECK(directory.key_for_origin("https://c.acme.test") == "acme");
    CHECK(frame_ancestors(directory.find("acme")) == "frame-ancestors https://acme.test https://c.acme.test");

    REQUIRE(other.remove("acme"));
    now += std::chrono::milliseconds(250);
    CHECK_FALSE(directory.contains("acme"));
    CHECK_FALSE(directory.find("acme").has_value());
    CHECK_FALSE(directory.is_registered_origin("https://acme.test"));
  }
}
