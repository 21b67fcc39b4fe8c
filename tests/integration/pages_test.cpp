// The widget's pages and static files.

#include "in_process_server.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace stork;
using namespace stork::test;

namespace {

int status_of(const std::string& raw_response) {
  if (raw_response.size() < 12 || raw_response.rfind("HTTP/1.", 0) != 0) return 0;
  return std::stoi(raw_response.substr(9, 3));
}

std::string frame_ancestors_of(const std::string& csp) {
  const auto at = csp.find("frame-ancestors");
  if (at == std::string::npos) return {};
  const auto end = csp.find(';', at);
  return csp.substr(at, end == std::string::npos ? end : end - at);
}

}  // namespace

TEST_CASE("/widget: framed only by the publisher's origins") {
  TestServer server;
  const Reply ok = server.get("/widget?product=1337&publisher=acme");
  CHECK(ok.status == 200);
  CHECK(ok.header("Content-Type").rfind("text/html", 0) == 0);
  CHECK(frame_ancestors_of(ok.header("Content-Security-Policy")) ==
        std::string("frame-ancestors ") + kPublisherOrigin + " " + kSecondPublisherOrigin);

  const Reply unknown_product = server.get("/widget?product=999&publisher=acme");
  CHECK(unknown_product.status == 404);
  CHECK(frame_ancestors_of(unknown_product.header("Content-Security-Policy")) ==
        std::string("frame-ancestors ") + kPublisherOrigin + " " + kSecondPublisherOrigin);
  CHECK(server.get("/widget?product=abc&publisher=acme").status == 404);

  for (const std::string path : {"/widget?product=1337&publisher=nobody", "/widget?product=1337",
                                 "/widget?product=1337&publisher="}) {
    CAPTURE(path);
    const Reply r = server.get(path);
    CHECK(r.status == 403);
    CHECK(frame_ancestors_of(r.header("Content-Security-Policy")) == "frame-ancestors 'none'");
  }
}

TEST_CASE("/login cannot be framed; /lab can") {
  TestServer server;
  const Reply login_page = server.get("/login");
  CHECK(login_page.status == 200);
  CHECK(frame_ancestors_of(login_page.header("Content-Security-Policy")) == "frame-ancestors 'none'");
  const Reply lab = server.get("/lab");
  CHECK(lab.status == 200);
  CHECK(frame_ancestors_of(lab.header("Content-Security-Policy")) == "frame-ancestors *");
}

TEST_CASE("static files: ETag and 304") {
  TestServer server;
  const Reply first = server.get("/assets/widget.js");
  REQUIRE(first.status == 200);
  CHECK(first.header("Content-Type") == "text/javascript; charset=utf-8");
  const std::string etag = first.header("ETag");
  REQUIRE_FALSE(etag.empty());
  CHECK_FALSE(first.header("Cache-Control").empty());
  CHECK_FALSE(first.body.empty());

  const Reply again = server.get("/assets/widget.js", {{"If-None-Match", etag}});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(again.header("ETag") == etag);
  CHECK(server.get("/assets/widget.js", {{"If-None-Match", "\"stale\""}}).status == 200);

  const Reply img = server.get("/assets/img/camera.svg");
  CHECK(img.status == 200);
  CHECK(img.header("Content-Type") == "image/svg+xml");
  CHECK(img.header("ETag") != etag);
  CHECK(server.get("/embed.js").status == 200);
  CHECK(server.get("/assets/missing.js").status == 404);
}

TEST_CASE("static files never leave their root") {
  TestServer server;
  // The file a traversal would reach exists: a refusal is the server's doing.
  REQUIRE(std::filesystem::exists(std::filesystem::path(server.app().config.assets_dir) / "CMakeLists.txt"));
  for (const std::string path :
       {"/assets/../CMakeLists.txt", "/assets/%2e%2e/CMakeLists.txt", "/assets/%2E%2E/CMakeLists.txt",
        "/assets/..%2fCMakeLists.txt", "/assets/%2e%2e%2fCMakeLists.txt", "/assets/img/../../CMakeLists.txt",
        "/assets/./../CMakeLists.txt", "/assets/..%5cCMakeLists.txt", "/assets/%2fetc%2fpasswd",
        "/assets//etc/passwd", "/assets/.%2e/CMakeLists.txt"}) {
    CAPTURE(path);
    const std::string response =
        server.raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    const int status = status_of(response);
    CHECK(status >= 400);
    CHECK(status < 500);
    CHECK(response.find("cmake_minimum_required") == std::string::npos);
    CHECK(response.find("root:") == std::string::npos);
  }
}
