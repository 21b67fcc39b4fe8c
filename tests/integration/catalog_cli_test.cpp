// `stork product import|export|remove`, run as an operator runs them,
// against the database a live server reads (a SQLite file, or a database
// of the throwaway PostgreSQL when the suite runs on it).

#include "in_process_server.hpp"
#include "change_bound.hpp"
#include "child_process.hpp"
#include "test_database.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace stork;
using namespace stork::test;

namespace {

std::string write_file(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.file(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

const char* kHeader = "id,name,brand,price,currency,image\n";

}  // namespace

TEST_CASE("product import: the live server's product JSON shows it at once, prices exact") {
  TestServer server;
  TempDir dir;
  const std::string db = server.app().config.db_path;
  const std::string file = write_file(
      dir, "catalog.csv",
      std::string(kHeader) +
          "900,Yen Camera,Heron,5000,JPY,https://cdn.example/yen.png\n"
          "901,Dinar Lens,Kestrel,1.250,KWD,/assets/img/lens.svg\n"
          "1,Renamed One,Stork Optics,0.10,EUR,/assets/img/camera.svg\n");
  const ProcessResult r = run_stork({"product", "import", file, "--db", db});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out.find("2 added, 1 updated, 0 unchanged") != std::string::npos);

  const auto yen = server.get("/products/900.json").json();
  CHECK(yen["price"]["amount"] == 5000);
  CHECK(yen["price"]["currency"] == "JPY");
  CHECK(yen["image"] == "https://cdn.example/yen.png");
  const auto dinar = server.get("/products/901.json").json();
  CHECK(dinar["price"]["amount"].get<double>() == 1.25);
  const auto one = server.get("/products/1.json");
  CHECK(one.body.find("\"amount\":0.1,") != std::string::npos);  // not 0.1000000001
  CHECK(one.json()["name"] == "Renamed One");

  // The widget page may show https:// images from the catalog.
  const Reply page = server.get("/widget?product=900&publisher=acme");
  CHECK(page.header("Content-Security-Policy").find("img-src 'self' data: https:") != std::string::npos);

  // A second run changes nothing and says so.
  const ProcessResult again = run_stork({"product", "import", file, "--db", db});
  CHECK(again.out.find("0 added, 0 updated, 3 unchanged") != std::string::npos);
}

TEST_CASE("product import: every bad line as FILE:LINE: field: message, exit 1, nothing changed") {
  TempDir dir;
  const std::string db = test::fresh_database(dir, "c.db");
  const std::string file = write_file(
      dir, "bad.csv",
      std::string(kHeader) +
          "1,Good,B,1.00,EUR,/assets/img/camera.svg\n"
          "2,Bad price,B,1.005,EUR,/assets/img/camera.svg\n"
          "3,Bad currency,B,1.00,EURO,/assets/img/camera.svg\n"
          "4,Bad image,B,1.00,EUR,/etc/passwd\n"
          "5,Missing image,B,1.00,EUR,/assets/img/not-there.png\n");
  const ProcessResult r = run_stork({"product", "import", file, "--db", db});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(file + ":3: price: ") != std::string::npos);
  CHECK(r.err.find(file + ":4: currency: ") != std::string::npos);
  CHECK(r.err.find(file + ":5: image: ") != std::string::npos);
  CHECK(r.err.find(file + ":6: image: no file img/not-there.png") != std::string::npos);
  CHECK(r.err.find(":2:") == std::string::npos);
  CHECK(r.err.find("nothing was imported") != std::string::npos);
  const ProcessResult exported = run_stork({"product", "export", "--db", db});
  CHECK(exported.exit_code == 0);
  CHECK(exported.out == kHeader);  // the good line was not imported either

  const ProcessResult jsonl = run_stork(
      {"product", "import", write_file(dir, "bad.jsonl", "{\"id\":1,\"name\":\"A\",\"brand\":\"B\",\"price\":1.5,"
                                                         "\"currency\":\"EUR\",\"image\":\"/assets/img/camera.svg\"}\n"),
       "--db", db});
  CHECK(jsonl.exit_code == 1);
  CHECK(jsonl.err.find("bad.jsonl:1: price: write the price as a string") != std::string::npos);

  const ProcessResult missing = run_stork({"product", "import", dir.file("nope.csv"), "--db", db});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("cannot read") != std::string::npos);
}

TEST_CASE("product import --check reports what would change and changes nothing") {
  TempDir dir;
  const std::string db = test::fresh_database(dir, "c.db");
  const std::string file =
      write_file(dir, "c.jsonl",
                 "{\"id\":1,\"name\":\"A\",\"brand\":\"B\",\"price\":\"2.00\",\"currency\":\"EUR\","
                 "\"image\":\"/assets/img/camera.svg\"}\n");
  const ProcessResult r = run_stork({"product", "import", file, "--check", "--db", db});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("would add 1, update 0") != std::string::npos);
  CHECK(run_stork({"product", "export", "--db", db}).out == kHeader);
}

TEST_CASE("product export imports back unchanged, in both formats; remove takes ratings along") {
  TestServer server;
  TempDir dir;
  const std::string db = server.app().config.db_path;
  REQUIRE(run_stork({"product", "import",
                     write_file(dir, "c.csv",
                                std::string(kHeader) + "42,\"Quoted, \"\"name\"\"\",Brand,5000,JPY,/assets/img/lens.svg\n"),
                     "--db", db})
              .exit_code == 0);
  for (const char* format : {"csv", "jsonl"}) {
    CAPTURE(format);
    const ProcessResult out = run_stork({"product", "export", "--format", format, "--db", db});
    REQUIRE(out.exit_code == 0);
    const std::string file = write_file(dir, std::string("export.") + format, out.out);
    const ProcessResult back = run_stork({"product", "import", file, "--db", db});
    CHECK_MESSAGE(back.exit_code == 0, back.err);
    CHECK(back.out.find("0 added, 0 updated, 7 unchanged") != std::string::npos);
  }

  const Login alice = login(server, "alice", kAlicePassword);
  REQUIRE(server.send("PUT", "/api/products/42/rating", with(widget_headers(), with(sid_cookie(alice.token), csrf(alice.csrf))),
                      R"({"stars":4})").status == 200);
  const ProcessResult removed = run_stork({"product", "remove", "42", "--db", db});
  CHECK(removed.exit_code == 0);
  CHECK(removed.out.find("Removed product 42") != std::string::npos);
  // Within the bound: the rating's answer may have put the product in the
  // server's read cache, which hears of the removal through the change feed.
  CHECK(within_change_bound([&] { return server.get("/products/42.json").status == 404; }));
  CHECK(server.scalar("SELECT count(*) FROM ratings WHERE product_id = 42") == 0);
  const ProcessResult again = run_stork({"product", "remove", "42", "--db", db});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("no product 42") != std::string::npos);
  CHECK(run_stork({"product", "remove", "x", "--db", db}).exit_code == 2);
}

TEST_CASE("product import shows progress on a large file") {
  TempDir dir;
  std::string text = kHeader;
  for (int i = 1; i <= 20'000; ++i) text += std::to_string(i) + ",P,B,1.00,EUR,/assets/img/camera.svg\n";
  const ProcessResult r = run_stork({"product", "import", write_file(dir, "big.csv", text), "--db", test::fresh_database(dir, "c.db")});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("checked 10000 products") != std::string::npos);
  CHECK(r.err.find("written 20000 of 20000") != std::string::npos);
  CHECK(r.out.find("20000 added") != std::string::npos);
}
