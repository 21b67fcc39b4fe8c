#include "http/static_files.hpp"

#include "test_support.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace stork;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

}  // namespace

TEST_CASE("is_safe_relative_path") {
  for (const char* ok : {"widget.js", "img/camera.svg", "a/b/c.txt", "x..y"}) {
    CAPTURE(ok);
    CHECK(is_safe_relative_path(ok));
  }
  for (const char* bad : {"", "..", "../x", "a/../b", "a/..", "/etc/passwd", ".hidden", "a/.git/config",
                          "a//b", "a/", "./a", "a\\..\\b", "a/./b"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_safe_relative_path(bad));
  }
  CHECK_FALSE(is_safe_relative_path(std::string("a\0b", 3)));
  CHECK_FALSE(is_safe_relative_path(std::string(257, 'a')));
}

TEST_CASE("StaticFiles serves files below its root only") {
  test::TempDir dir;
  const fs::path root = dir.path() / "root";
  write_file(root / "app.js", "console.log(1);");
  write_file(root / "img" / "logo.svg", "<svg/>");
  write_file(dir.path() / "secret.txt", "top secret");
  write_file(dir.path() / "outside" / "inner.txt", "also secret");
  fs::create_symlink(dir.path() / "secret.txt", root / "escape.txt");
  fs::create_directory_symlink(dir.path() / "outside", root / "linkdir");
  fs::create_symlink(root / "app.js", root / "alias.js");

  StaticFiles files(root);

  SUBCASE("a file, its type and a content hash ETag") {
    const auto f = files.get("app.js");
    REQUIRE(f);
    CHECK(f->content == "console.log(1);");
    CHECK(f->content_type == "text/javascript; charset=utf-8");
    CHECK(f->etag.size() == 34);
    CHECK(f->etag.front() == '"');
    CHECK(f->etag.back() == '"');
    const auto svg = files.get("img/logo.svg");
    REQUIRE(svg);
    CHECK(svg->content_type == "image/svg+xml");
    CHECK(svg->etag != f->etag);
  }
  SUBCASE("ETag follows the content") {
    const auto before = files.get("app.js");
    REQUIRE(before);
    write_file(root / "app.js", "console.log(2); // longer");
    fs::last_write_time(root / "app.js", fs::last_write_time(root / "app.js") + std::chrono::seconds(5));
    const auto after = files.get("app.js");
    REQUIRE(after);
    CHECK(after->content == "console.log(2); // longer");
    CHECK(after->etag != before->etag);
  }
  SUBCASE("dot segments and absolute paths are refused") {
    CHECK_FALSE(files.get("../secret.txt"));
    CHECK_FALSE(files.get("img/../../secret.txt"));
    CHECK_FALSE(files.get((dir.path() / "secret.txt").string()));
  }
  SUBCASE("symlinks escaping the root are refused; inside the root they are fine") {
    CHECK_FALSE(files.get("escape.txt"));
    CHECK_FALSE(files.get("linkdir/inner.txt"));
    const auto alias = files.get("alias.js");
    REQUIRE(alias);
    CHECK(alias->content == "console.log(1);");
  }
  SUBCASE("a sibling directory whose name extends the root's is outside") {
    write_file(dir.path() / "root-evil" / "x.js", "evil");
    fs::create_directory_symlink(dir.path() / "root-evil", root / "sib");
    CHECK_FALSE(files.get("sib/x.js"));
  }
  SUBCASE("directories and missing files are nothing") {
    CHECK_FALSE(files.get("img"));
    CHECK_FALSE(files.get("missing.js"));
  }
}

TEST_CASE("content types") {
  CHECK(content_type_for("a.html") == "text/html; charset=utf-8");
  CHECK(content_type_for("a.css") == "text/css; charset=utf-8");
  CHECK(content_type_for("a.json") == "application/json; charset=utf-8");
  CHECK(content_type_for("a.png") == "image/png");
  CHECK(content_type_for("a.unknown") == "application/octet-stream");
  CHECK(content_type_for("noext") == "application/octet-stream");
}
