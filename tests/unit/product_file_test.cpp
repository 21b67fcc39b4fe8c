// Catalog files: both formats, every rule, every line number.

#include "catalog/product_file.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace stork;

namespace {

ProductFileContent read(const std::string& text, ProductFormat format,
                        const std::filesystem::path& assets = {}) {
  std::istringstream in(text);
  return read_product_file(in, format, ProductFileRules{assets});
}

std::string problems_text(const ProductFileContent& c) {
  std::string out;
  for (const auto& p : c.problems) {
    out += std::to_string(p.line) + ": " + p.field + ": " + p.message + "\n";
  }
  return out;
}

bool has_problem(const ProductFileContent& c, std::size_t line, const std::string& field) {
  for (const auto& p : c.problems) {
    if (p.line == line && p.field == field) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("CSV: header in any order, quotes, commas, line breaks, CRLF and a BOM") {
  const std::string text =
      "\xEF\xBB\xBFimage,price,currency,id,brand,name\r\n"
      "https://cdn.example/a.png,499.99,EUR,1,Stork Optics,\"Camera, \"\"X\"\" edition\"\r\n"
      "\r\n"
      "/assets/img/lens.svg,5000,JPY,2,Heron,\"Two\nlines? no: refused\"\n"
      "/assets/img/lens.svg,1.250,KWD,3,Kestrel,Ünïcödé 名前\n";
  const ProductFileContent c = read(text, ProductFormat::csv);
  // Line 4's name holds a line break, which is refused; the record started on line 4.
  REQUIRE(c.problems.size() == 1);
  CHECK(c.problems[0].line == 4);
  CHECK(c.problems[0].field == "name");
  CHECK(c.records == 3);
  CHECK(c.rows.empty());  // all or nothing

  const ProductFileContent ok = read(
      "id,name,brand,price,currency,image\n"
      "1,\"Camera, \"\"X\"\" edition\",Stork Optics,499.99,EUR,https://cdn.example/a.png\n"
      "3,Ünïcödé 名前,Kestrel,1.250,KWD,/assets/img/lens.svg\n"
      "2,Yen,Heron,5000,JPY,/assets/img/lens.svg\n",
      ProductFormat::csv);
  REQUIRE_MESSAGE(ok.problems.empty(), problems_text(ok));
  REQUIRE(ok.rows.size() == 3);
  CHECK(ok.rows[0] == ProductRow{1, "Camera, \"X\" edition", "Stork Optics", 49999, "EUR",
                                 "https://cdn.example/a.png"});
  CHECK(ok.rows[1].price_minor == 1250);
  CHECK(ok.rows[1].name == "Ünïcödé 名前");
  CHECK(ok.rows[2].price_minor == 5000);
}

TEST_CASE("CSV: header mistakes are reported and no row is read") {
  auto c = read("id,name,brand,price,currency,imgae\n1,a,b,1.00,EUR,/assets/img/x.svg\n", ProductFormat::csv);
  CHECK(has_problem(c, 1, "header"));
  CHECK(problems_text(c).find("unknown column 'imgae'") != std::string::npos);
  CHECK(problems_text(c).find("column 'image' is missing") != std::string::npos);
  c = read("id,id,name,brand,price,currency,image\n", ProductFormat::csv);
  CHECK(problems_text(c).find("appears twice") != std::string::npos);
  c = read("", ProductFormat::csv);
  CHECK(has_problem(c, 1, "header"));
}

TEST_CASE("every bad line is reported with its line and field") {
  const std::string text =
      "id,name,brand,price,currency,image\n"
      "0,Zero,B,1.00,EUR,/assets/img/a.svg\n"                       // 2 id
      "x1,Letters,B,1.00,EUR,/assets/img/a.svg\n"                   // 3 id
      "4,,B,1.00,EUR,/assets/img/a.svg\n"                           // 4 name
      "5,N,B,1.999,EUR,/assets/img/a.svg\n"                         // 5 price
      "6,N,B,50.5,JPY,/assets/img/a.svg\n"                          // 6 price
      "7,N,B,1.00,eur,/assets/img/a.svg\n"                          // 7 currency
      "8,N,B,1.00,EUR,http://insecure.example/a.png\n"              // 8 image
      "9,N,B,1.00,EUR,/assets/../secret.png\n"                      // 9 image
      "10,N,B,1.00,EUR,/assets/img/a.svg,extra\n"                   // 10 row
      "11,N,B,1.00,EUR,/assets/img/a.svg\n"                         // fine
      "11,N,B,1.00,EUR,/assets/img/a.svg\n"                         // 12 id (duplicate)
      "13,\xff\xfe,B,1.00,EUR,/assets/img/a.svg\n"                  // 13 name
      "14," + std::string(201, 'n') + ",B,1.00,EUR,/assets/img/a.svg\n"  // 14 name
      "15,N, B,-1,EUR,https://user@cdn.example/a.png\n"             // 15 brand, price, image
      "16,N,B,1.00,EUR,/assets/img/readme.txt\n";                   // 16 image
  const ProductFileContent c = read(text, ProductFormat::csv);
  CAPTURE(problems_text(c));
  CHECK(c.rows.empty());
  CHECK(has_problem(c, 2, "id"));
  CHECK(has_problem(c, 3, "id"));
  CHECK(has_problem(c, 4, "name"));
  CHECK(has_problem(c, 5, "price"));
  CHECK(has_problem(c, 6, "price"));
  CHECK(has_problem(c, 7, "currency"));
  CHECK(has_problem(c, 8, "image"));
  CHECK(has_problem(c, 9, "image"));
  CHECK(has_problem(c, 10, "row"));
  CHECK(has_problem(c, 12, "id"));
  CHECK(problems_text(c).find("12: id: 11 appears already on line 11") != std::string::npos);
  CHECK(has_problem(c, 13, "name"));
  CHECK(has_problem(c, 14, "name"));
  CHECK(has_problem(c, 15, "brand"));
  CHECK(has_problem(c, 15, "price"));
  CHECK(has_problem(c, 15, "image"));
  CHECK(has_problem(c, 16, "image"));
  CHECK_FALSE(has_problem(c, 11, "id"));
  CHECK(c.problems.size() == 16);
}

TEST_CASE("200 characters are allowed, counted as characters, not bytes") {
  std::string name;
  for (int i = 0; i < 200; ++i) name += "é";  // 400 bytes
  const auto c = read("{\"id\":1,\"name\":\"" + name + "\",\"brand\":\"B\",\"price\":\"1.00\",\"currency\":\"EUR\","
                      "\"image\":\"https://cdn.example/x.png\"}\n",
                      ProductFormat::jsonl);
  CHECK_MESSAGE(c.problems.empty(), problems_text(c));
}

TEST_CASE("JSON Lines: types are checked, floats refused, unknown fields named") {
  const std::string text =
      "{\"id\":1,\"name\":\"A\",\"brand\":\"B\",\"price\":\"499.99\",\"currency\":\"EUR\",\"image\":\"/assets/img/a.svg\"}\n"
      "\n"
      "{\"id\":2,\"name\":\"A\",\"brand\":\"B\",\"price\":499.99,\"currency\":\"EUR\",\"image\":\"/assets/img/a.svg\"}\n"
      "{\"id\":\"3\",\"name\":\"A\",\"brand\":\"B\",\"price\":\"1\",\"currency\":\"EUR\",\"image\":\"/assets/img/a.svg\"}\n"
      "{\"id\":4,\"name\":\"A\",\"brand\":\"B\",\"price\":\"1\",\"currency\":\"EUR\",\"imgae\":\"/assets/img/a.svg\"}\n"
      "not json\n"
      "[1,2]\n"
      "{\"id\":7,\"name\":7,\"brand\":\"B\",\"price\":5000,\"currency\":\"JPY\",\"image\":\"/assets/img/a.svg\"}\n";
  const auto c = read(text, ProductFormat::jsonl);
  CAPTURE(problems_text(c));
  CHECK(has_problem(c, 3, "price"));
  CHECK(has_problem(c, 4, "id"));
  CHECK(has_problem(c, 5, "imgae"));
  CHECK(has_problem(c, 6, "row"));
  CHECK(has_problem(c, 7, "row"));
  CHECK(has_problem(c, 8, "name"));
  CHECK(c.problems.size() == 6);
  CHECK(c.records == 7);

  const auto ok = read(
      "{\"id\":7,\"name\":\"A\",\"brand\":\"B\",\"price\":5000,\"currency\":\"JPY\",\"image\":\"/assets/img/a.svg\"}\n",
      ProductFormat::jsonl);
  REQUIRE(ok.rows.size() == 1);
  CHECK(ok.rows[0].price_minor == 5000);
}

TEST_CASE("/assets/ images must exist under the assets root when one is given") {
  test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "img");
  std::ofstream(dir.path() / "img" / "here.png") << "png";
  const std::string head = "id,name,brand,price,currency,image\n";
  CHECK(read(head + "1,A,B,1.00,EUR,/assets/img/here.png\n", ProductFormat::csv, dir.path()).problems.empty());
  const auto c = read(head + "1,A,B,1.00,EUR,/assets/img/gone.png\n", ProductFormat::csv, dir.path());
  REQUIRE(c.problems.size() == 1);
  CHECK(c.problems[0].message.find("no file img/gone.png") != std::string::npos);
}

TEST_CASE("what the writers write reads back to the same rows") {
  const std::vector<ProductRow> rows = {
      {1, "Camera, \"X\"", "Stork Optics", 49999, "EUR", "https://cdn.example/a.png?x=1,2"},
      {2, "名前 ünïcode", "Heron", 5000, "JPY", "/assets/img/lens.svg"},
      {3, "Plain", "B", 5, "KWD", "/assets/img/lens.svg"},
      {4, "Zero", "B", 0, "EUR", "/assets/img/lens.svg"},
  };
  std::string csv = csv_header() + "\n", jsonl;
  for (const auto& r : rows) {
    csv += to_csv_line(r) + "\n";
    jsonl += to_jsonl_line(r) + "\n";
  }
  CHECK(to_csv_line(rows[2]) == "3,Plain,B,0.005,KWD,/assets/img/lens.svg");
  CHECK(to_jsonl_line(rows[1]) ==
        R"({"id":2,"name":"名前 ünïcode","brand":"Heron","price":"5000","currency":"JPY","image":"/assets/img/lens.svg"})");
  const auto from_csv = read(csv, ProductFormat::csv);
  const auto from_jsonl = read(jsonl, ProductFormat::jsonl);
  CHECK_MESSAGE(from_csv.problems.empty(), problems_text(from_csv));
  CHECK(from_csv.rows == rows);
  CHECK(from_jsonl.rows == rows);
}

TEST_CASE("format guessing: extension first, then the first byte") {
  CHECK(guess_product_format("a.csv", "{") == ProductFormat::csv);
  CHECK(guess_product_format("a.JSONL", "id,") == ProductFormat::jsonl);
  CHECK(guess_product_format("a.ndjson", "") == ProductFormat::jsonl);
  CHECK(guess_product_format("-", "  {\"id\":1}") == ProductFormat::jsonl);
  CHECK(guess_product_format("catalog.txt", "id,name") == ProductFormat::csv);
}
