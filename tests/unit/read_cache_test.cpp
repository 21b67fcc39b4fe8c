// The read cache (server/cache/): the cached stores pass the contracts of
// the interfaces they stand in for, and they serve nothing that a change
// they were told of, a change racing with their read, a feed outage or
// their age limit rules out. These cases play the change feed by hand on
// a real SQLite backend; sqlite_change_feed_test.cpp and
// postgresql_change_feed_test.cpp run the real feeds, and the cluster
// suite several processes.

#include "account_store_contract.hpp"
#include "catalog_contract.hpp"
#include "session_store_contract.hpp"

#include "cache/caching_backend.hpp"
#include "sessions/token.hpp"
#include "storage/sqlite_backend.hpp"
#include "test_support.hpp"

#include <chrono>
#include <memory>

namespace {

using namespace stork;
using namespace std::chrono_literals;

ProductRow row_of(const Product& p) {
  return ProductRow{p.id, p.name, p.brand, p.price_cents, p.currency, p.image};
}

// A SQLite backend behind the read cache, users user1..user8 and the
// contract's products 1 and 2, the feed played by the test: live from the
// start unless a case says otherwise. `inner()` is the backend itself, as
// another process would write to it, unseen by this cache.
class CachedSqlite {
 public:
  explicit CachedSqlite(ReadCacheOptions options = {}) {
    auto backend = std::make_unique<SqliteBackend>(dir_.file("cached.db"));
    inner_ = backend.get();
    for (int u = 1; u <= contract::kCatalogUsers; ++u) {
      REQUIRE(inner_->accounts().add({"user" + std::to_string(u), "F", "L", "$argon2id$unused"}, 0)->id == u);
    }
    inner_->products().upsert_all({row_of(contract::kProduct1), row_of(contract::kProduct2)});
    cached_ = std::make_unique<CachingBackend>(std::move(backend),
                                               std::make_unique<ReadCache>(std::move(options)), nullptr);
    changes().feed_live();
  }
  // What the contracts ask of a harness.
  SessionStore& store() { return cached_->sessions(); }
  AccountStore& accounts() { return cached_->accounts(); }
  UnitOfWork& unit() { return cached_->unit_of_work(); }
  Catalog& catalog() { return cached_->catalog(); }

  Backend& cached() { return *cached_; }
  Backend& inner() { return *inner_; }
  Invalidations& changes() { return cached_->cache().invalidations(); }

 private:
  test::TempDir dir_;
  Backend* inner_ = nullptr;
  std::unique_ptr<CachingBackend> cached_;
};

// An empty database for the AccountStore contract.
class CachedEmptySqlite {
 public:
  CachedEmptySqlite()
      : cached_(std::make_unique<SqliteBackend>(dir_.file("accounts.db")),
                std::make_unique<ReadCache>(ReadCacheOptions{}), nullptr) {
    cached_.cache().invalidations().feed_live();
  }
  AccountStore& accounts() { return cached_.accounts(); }
  UnitOfWork& unit() { return cached_.unit_of_work(); }

 private:
  test::TempDir dir_;
  CachingBackend cached_;
};

std::string started_session(Backend& backend, std::int64_t user_id) {
  const std::string hash = hash_token(new_session_token());
  backend.sessions().insert(hash, contract::make_session(user_id, contract::kT0));
  return hash;
}

}  // namespace

TEST_CASE_TEMPLATE_INVOKE(session_store_contract, CachedSqlite);
TEST_CASE_TEMPLATE_INVOKE(catalog_contract, CachedSqlite);
TEST_CASE_TEMPLATE_INVOKE(account_store_contract, CachedEmptySqlite);

TEST_CASE("read cache: a session read once is served from memory until its user changes") {
  CachedSqlite h;
  const std::string hash = started_session(h.cached(), 3);
  REQUIRE(h.store().find(hash).has_value());
  // Another process ends it: unseen until the feed says so.
  REQUIRE(h.inner().sessions().remove(hash));
  CHECK(h.store().find(hash).has_value());
  h.changes().user_changed(3);
  CHECK_FALSE(h.store().find(hash).has_value());
  // A session that does not exist is never remembered as missing: one
  // started through another process is found at once.
  const std::string later = hash_token(new_session_token());
  CHECK_FALSE(h.store().find(later).has_value());
  h.inner().sessions().insert(later, contract::make_session(3, contract::kT0));
  CHECK(h.store().find(later).has_value());
}

TEST_CASE("read cache: what this process writes is read back at once") {
  CachedSqlite h;
  const std::string one = started_session(h.cached(), 1);
  const std::string two = started_session(h.cached(), 1);
  const std::string other = started_session(h.cached(), 2);
  for (const auto& hash : {one, two, other}) REQUIRE(h.store().find(hash));
  CHECK(h.store().remove(one));
  CHECK_FALSE(h.store().find(one).has_value());
  CHECK(h.store().remove_all_of_user(1) == 1);
  CHECK_FALSE(h.store().find(two).has_value());
  CHECK(h.store().find(other).has_value());

  h.store().touch(other, contract::kT0 + 60);
  CHECK(h.store().find(other)->last_seen_at == contract::kT0 + 60);

  REQUIRE_FALSE(h.accounts().find(std::int64_t{2})->disabled);
  REQUIRE(h.accounts().set_disabled(2, true));
  CHECK(h.accounts().find(std::int64_t{2})->disabled);

  // Removing the account through its own store forgets its ratings in the
  // product's aggregate too.
  REQUIRE(h.catalog().rate(2, 1, 5, contract::kT0));
  REQUIRE(h.catalog().viewed_product(1, 2)->product.rating_count == 1);
  REQUIRE(h.cached().personal_data().erase(2));
  CHECK(h.catalog().viewed_product(1, std::nullopt)->product.rating_count == 0);
  CHECK_FALSE(h.accounts().find(std::int64_t{2}).has_value());
  CHECK_FALSE(h.store().find(other).has_value());
}

TEST_CASE("read cache: a reset link and a publisher's sign-in, written through their own stores, read back at once") {
  CachedSqlite h;
  const std::string session = started_session(h.cached(), 3);
  REQUIRE(h.store().find(session).has_value());
  const std::string link = hash_token(new_session_token());
  h.cached().reset_links().put(3, link, contract::kT0, contract::kT0 + 3600);
  REQUIRE(h.cached().reset_links().redeem(link, "$argon2id$new", contract::kT0 + 1) == 3);
  CHECK_FALSE(h.store().find(session).has_value());

  REQUIRE(h.cached().publishers().add("acme", std::nullopt, {"https://acme.example"}, contract::kT0));
  const auto reader = h.cached().identity().account_for({"acme", "reader-1", "Ada", "Lovelace"}, contract::kT0);
  REQUIRE(reader.has_value());
  REQUIRE(h.accounts().find(*reader)->first == "Ada");
  REQUIRE(h.cached().identity().account_for({"acme", "reader-1", "Augusta", "Lovelace"}, contract::kT0) == reader);
  CHECK(h.accounts().find(*reader)->first == "Augusta");
}

TEST_CASE("read cache: products and profiles are served from memory until they change") {
  CachedSqlite h;
  REQUIRE(h.catalog().viewed_product(1, 4)->viewer.rating == std::nullopt);
  // Another process rates: the aggregate and this visitor's profile stay
  // as read until the feed names them.
  REQUIRE(h.inner().catalog().rate(4, 1, 2, contract::kT0));
  CHECK(h.catalog().viewed_product(1, 4)->product.rating_count == 0);
  CHECK_FALSE(h.catalog().viewed_product(1, 4)->viewer.rating.has_value());
  h.changes().product_changed(1);
  CHECK(h.catalog().viewed_product(1, 4)->product.rating_count == 1);
  CHECK_FALSE(h.catalog().viewed_product(1, 4)->viewer.rating.has_value());
  h.changes().user_changed(4);
  CHECK(h.catalog().viewed_product(1, 4)->viewer.rating == 2);
  // One profile serves every product of the visitor.
  REQUIRE(h.inner().catalog().set_wishlisted(4, 2, true, contract::kT0));
  CHECK_FALSE(h.catalog().viewed_product(2, 4)->viewer.wishlisted);
  h.changes().user_changed(4);
  CHECK(h.catalog().viewed_product(2, 4)->viewer.wishlisted);
}

TEST_CASE("read cache: a read that raced with a change is not served afterwards") {
  // The change is announced while the store is being read (the feed's
  // thread runs between the read and the fill): the fill keeps the mark
  // taken before the read, so the change rules it out.
  class AnnouncingMidRead final : public SessionStore {
   public:
    AnnouncingMidRead(SessionStore& store, Invalidations& changes) : store_(store), changes_(changes) {}
    std::optional<Session> find(const std::string& h) override {
      auto found = store_.find(h);
      if (found && announce) changes_.user_changed(found->user_id);
      announce = false;
      return found;
    }
    void insert(const std::string& h, const Session& s) override { store_.insert(h, s); }
    void touch(const std::string& h, UnixSeconds now) override { store_.touch(h, now); }
    bool remove(const std::string& h) override { return store_.remove(h); }
    bool remove_by_public_id(std::int64_t u, const std::string& p) override { return store_.remove_by_public_id(u, p); }
    std::size_t remove_all_of_user(std::int64_t u, const std::string& k) override { return store_.remove_all_of_user(u, k); }
    std::vector<Session> list_of_user(std::int64_t u) override { return store_.list_of_user(u); }
    std::vector<std::string> token_hashes_of_user_oldest_first(std::int64_t u) override {
      return store_.token_hashes_of_user_oldest_first(u);
    }
    std::size_t purge_expired(UnixSeconds now, std::int64_t idle) override { return store_.purge_expired(now, idle); }
    std::size_t count_live(UnixSeconds now, std::int64_t idle) override { return store_.count_live(now, idle); }
    bool announce = true;

   private:
    SessionStore& store_;
    Invalidations& changes_;
  };
  CachedSqlite h;
  ReadCache cache{ReadCacheOptions{}};
  cache.invalidations().feed_live();
  AnnouncingMidRead racing(h.inner().sessions(), cache.invalidations());
  CachedSessionStore sessions(racing, cache);
  const std::string hash = started_session(h.inner(), 5);
  REQUIRE(sessions.find(hash).has_value());  // read, announced, stored
  REQUIRE(h.inner().sessions().remove(hash));
  CHECK_FALSE(sessions.find(hash).has_value());
}

TEST_CASE("read cache: nothing is served while the feed is down, nor what was read before it came back") {
  CachedSqlite h;
  const std::string hash = started_session(h.cached(), 6);
  REQUIRE(h.store().find(hash).has_value());
  h.changes().feed_lost();
  REQUIRE(h.inner().sessions().remove(hash));
  CHECK_FALSE(h.store().find(hash).has_value());

  const std::string again = started_session(h.cached(), 6);
  REQUIRE(h.store().find(again).has_value());  // read while down
  h.changes().feed_live();
  REQUIRE(h.inner().sessions().remove(again));
  CHECK_FALSE(h.store().find(again).has_value());
}

TEST_CASE("read cache: an entry is never served longer than max_age after its read began") {
  auto now = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::time_point{});
  ReadCacheOptions options;
  options.max_age = 2000ms;
  options.clock = [now] { return *now; };
  CachedSqlite h(options);
  const std::string hash = started_session(h.cached(), 7);
  REQUIRE(h.store().find(hash).has_value());
  REQUIRE(h.inner().sessions().remove(hash));
  *now += 1999ms;
  CHECK(h.store().find(hash).has_value());
  *now += 1ms;
  CHECK_FALSE(h.store().find(hash).has_value());
}

TEST_CASE("read cache: a visitor with more products than a profile keeps is read per product") {
  CachedSqlite h;
  std::vector<ProductRow> rows;
  for (std::int64_t id = 10; id < 10 + static_cast<std::int64_t>(CachedCatalog::kProfileLimit) + 1; ++id) {
    rows.push_back(ProductRow{id, "P" + std::to_string(id), "B", 100, "EUR", "/assets/img/camera.svg"});
  }
  h.inner().products().upsert_all(rows);
  for (const auto& r : rows) REQUIRE(h.inner().catalog().set_wishlisted(8, r.id, true, contract::kT0));
  const std::int64_t last = rows.back().id;
  CHECK(h.catalog().viewed_product(last, 8)->viewer.wishlisted);
  REQUIRE(h.inner().catalog().set_wishlisted(8, last, false, contract::kT0));
  CHECK_FALSE(h.catalog().viewed_product(last, 8)->viewer.wishlisted);
}

TEST_CASE("read cache: without a feed, or with no age allowed, a backend is used as it is") {
  // An in-memory SQLite database has no feed (no other connection can
  // change it); a file has one, and is cached unless max_age is zero.
  auto memory = std::make_unique<SqliteBackend>(":memory:");
  Backend* plain = memory.get();
  CHECK(with_read_cache(std::move(memory), ReadCacheOptions{}).get() == plain);

  test::TempDir dir;
  auto file = std::make_unique<SqliteBackend>(dir.file("plain.db"));
  plain = file.get();
  ReadCacheOptions off;
  off.max_age = 0ms;
  CHECK(with_read_cache(std::move(file), off).get() == plain);

  auto cached = with_read_cache(std::make_unique<SqliteBackend>(dir.file("plain.db")), ReadCacheOptions{});
  CHECK(dynamic_cast<CachingBackend*>(cached.get()) != nullptr);
}

TEST_CASE("read cache: a request's read scope is opened only when a read reaches the store, once") {
  CachedSqlite h;
  ReadCache cache{ReadCacheOptions{}};
  cache.invalidations().feed_live();
  CachedSessionStore sessions(h.inner().sessions(), cache);
  const std::string hash = started_session(h.inner(), 1);
  REQUIRE(sessions.find(hash).has_value());  // now kept

  int opened = 0;
  const auto open = [&] {
    ++opened;
    return std::unique_ptr<ReadScope>();
  };
  {
    const auto scope = cache.deferred_scope(open);
    CHECK(sessions.find(hash).has_value());
    sessions.touch(hash, contract::kT0 + 1);  // a write: not a reason to open
    CHECK(opened == 0);
  }
  {
    const auto scope = cache.deferred_scope(open);
    CHECK_FALSE(sessions.find(hash_token(new_session_token())).has_value());
    CHECK(opened == 1);
    CHECK_FALSE(sessions.find(hash_token(new_session_token())).has_value());
    CHECK(opened == 1);
  }
  // Outside a scope nothing is opened.
  CHECK_FALSE(sessions.find(hash_token(new_session_token())).has_value());
  CHECK(opened == 1);
}
