// The PublisherStore contract on SQLite, and PublisherDirectory's cache
// rules (how often it asks the store, what it does when the store fails).

#include "publisher_store_contract.hpp"

#include "publishers/sqlite_publisher_store.hpp"
#include "storage/database.hpp"
#include "storage/errors.hpp"
#include "storage/migrations.hpp"
#include "test_support.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>

namespace {

using namespace stork;
using Steady = std::chrono::steady_clock;

// A real SQLite file; other() is a second Database on it, as the CLI
// process holds while a server runs.
class SqlitePublisherHarness {
 public:
  SqlitePublisherHarness()
      : db_(std::make_unique<Database>(dir_.file("publishers.db"))),
        other_db_(std::make_unique<Database>(dir_.file("publishers.db"))),
        store_(*db_),
        other_(*other_db_) {}
  PublisherStore& store() { return store_; }
  PublisherStore& other() { return other_; }

 private:
  test::TempDir dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Database> other_db_;
  SqlitePublisherStore store_;
  SqlitePublisherStore other_;
};

// Counts the calls that reach the store, and fails them on demand.
class CountingStore final : public PublisherStore {
 public:
  explicit CountingStore(PublisherStore& real) : real_(real) {}
  int versions = 0;
  int lists = 0;
  bool failing = false;

  bool add(const std::string& key, const std::optional<std::string>& name,
           const std::vector<std::string>& origins, UnixSeconds now) override {
    return real_.add(key, name, origins, now);
  }
  std::optional<Publisher> find(const std::string& key) override { return real_.find(key); }
  std::vector<Publisher> list() override {
    ++lists;
    if (failing) throw StoreBusy("unreachable");
    return real_.list();
  }
  OriginChange add_origin(const std::string& key, const std::string& origin) override {
    return real_.add_origin(key, origin);
  }
  OriginChange remove_origin(const std::string& key, const std::string& origin) override {
    return real_.remove_origin(key, origin);
  }
  bool remove(const std::string& key) override { return real_.remove(key); }
  std::int64_t version() override {
    ++versions;
    if (failing) throw StoreBusy("unreachable");
    return real_.version();
  }

 private:
  PublisherStore& real_;
};

}  // namespace

TEST_CASE_TEMPLATE_INVOKE(publisher_store_contract, SqlitePublisherHarness);

TEST_CASE("PublisherDirectory asks the store at most once per interval, and re-reads only on a change") {
  SqlitePublisherHarness h;
  CountingStore counting(h.store());
  REQUIRE(h.store().add("acme", "Acme", {"https://acme.test"}, 1));
  auto now = Steady::time_point{} + std::chrono::hours(1);
  const PublisherDirectory directory(counting, std::chrono::milliseconds(200), [&] { return now; });
  CHECK(counting.versions == 1);
  CHECK(counting.lists == 1);
  for (int i = 0; i < 1000; ++i) {
    CHECK(directory.is_registered_origin("https://acme.test"));
    now += std::chrono::microseconds(100);  // 100 ms in all: nothing is due
  }
  CHECK(counting.versions == 1);
  now += std::chrono::milliseconds(100);
  CHECK(directory.contains("acme"));
  CHECK(directory.contains("acme"));
  CHECK(counting.versions == 2);
  CHECK(counting.lists == 1);  // same version: the list is not read again

  h.other().add_origin("acme", "https://b.acme.test");
  now += std::chrono::milliseconds(200);
  CHECK(directory.find("acme")->origins.size() == 2);
  CHECK(counting.versions == 3);
  CHECK(counting.lists == 2);
}

TEST_CASE("PublisherDirectory keeps serving the last list while the store fails, and catches up after") {
  SqlitePublisherHarness h;
  CountingStore counting(h.store());
  REQUIRE(h.store().add("acme", "Acme", {"https://acme.test"}, 1));
  auto now = Steady::time_point{} + std::chrono::hours(1);
  const PublisherDirectory directory(counting, std::chrono::milliseconds(200), [&] { return now; });
  counting.failing = true;
  h.other().remove("acme");
  now += std::chrono::milliseconds(300);
  CHECK(directory.contains("acme"));  // and no exception reaches the caller
  CHECK(counting.versions == 2);
  CHECK(directory.contains("acme"));  // the failed check counts as one: no retry storm
  CHECK(counting.versions == 2);
  counting.failing = false;
  now += std::chrono::milliseconds(200);
  CHECK_FALSE(directory.contains("acme"));
}

TEST_CASE("PublisherDirectory::refresh checks at once, whatever the interval") {
  SqlitePublisherHarness h;
  auto now = Steady::time_point{} + std::chrono::hours(1);
  PublisherDirectory directory(h.store(), std::chrono::milliseconds(200), [&] { return now; });
  CHECK_FALSE(directory.contains("acme"));
  h.store().add("acme", std::nullopt, {"https://acme.test"}, 1);
  CHECK_FALSE(directory.contains("acme"));
  directory.refresh();
  CHECK(directory.key_for_origin("https://acme.test") == "acme");
}

TEST_CASE("PublisherDirectory on the real clock: another process's removal is seen within the interval") {
  SqlitePublisherHarness h;
  REQUIRE(h.store().add("acme", "Acme", {"https://acme.test"}, 1));
  const PublisherDirectory directory(h.store());
  REQUIRE(directory.is_registered_origin("https://acme.test"));
  h.other().remove_origin("acme", "https://acme.test");
  const auto removed = Steady::now();
  while (directory.is_registered_origin("https://acme.test") && Steady::now() - removed < std::chrono::seconds(2)) {
  }
  CHECK(Steady::now() - removed <= PublisherDirectory::kCheckInterval + std::chrono::milliseconds(50));
}

TEST_CASE("migration 010 names the publishers registered before it by their key") {
  test::TempDir dir;
  const std::string path = dir.file("old.db");
  {
    SQLite::Database old(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (const Migration& m : migrations()) {
      if (m.version >= 10) break;
      old.exec(m.sql);
      old.exec("PRAGMA user_version = " + std::to_string(m.version));
    }
    old.exec("INSERT INTO publishers (key, created_at) VALUES ('shutterbug', 5)");
  }
  Database db(path);
  CHECK(db.schema_version() >= 10);
  const auto found = SqlitePublisherStore(db).find("shutterbug");
  REQUIRE(found.has_value());
  CHECK(found->display_name == "shutterbug");
}

TEST_CASE("SQLite errors leave the publisher store as Stork's own") {
  test::TempDir dir;
  Database db(dir.file("e.db"));
  db.connection().db().exec("DROP TABLE publisher_changes");
  CHECK_THROWS_AS(SqlitePublisherStore(db).version(), StoreError);
}

TEST_CASE("publisher names: 1 to 100 characters of text, no controls") {
  CHECK(publisher_name_violation("Shutterbug Weekly").empty());
  CHECK(publisher_name_violation("Фото-журнал ☕").empty());
  CHECK_FALSE(publisher_name_violation("").empty());
  CHECK_FALSE(publisher_name_violation("   ").empty());
  CHECK_FALSE(publisher_name_violation("two\nlines").empty());
  CHECK_FALSE(publisher_name_violation(std::string(101, 'a')).empty());
  CHECK(publisher_name_violation(std::string(100, 'a')).empty());
  CHECK_FALSE(publisher_name_violation("\xff").empty());
}
