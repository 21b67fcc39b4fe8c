// Static files and documents: Range cannot amplify a response, and no HTML
// document is served without a rule on who may frame it.

#include "config.hpp"
#include "in_process_server.hpp"
#include "raw_socket.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace stork;
using namespace stork::test;

namespace {

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// "0-,0-,0-,..." with `parts` parts.
std::string many_ranges(int parts) {
  std::string header = "bytes=0-";
  for (int i = 1; i < parts; ++i) header += ",0-";
  return header;
}

std::size_t body_bytes(const std::string& raw) {
  const auto end = raw.find("\r\n\r\n");
  return end == std::string::npos ? 0 : raw.size() - end - 4;
}

}  // namespace

TEST_CASE("range: thousands of ranges on a static file get the file once, not a multipart answer") {
  TestServer server;
  const std::string widget_js = file_text(default_assets_dir() + "/widget/widget.js");
  REQUIRE(widget_js.size() > 1000);
  const std::string header = many_ranges(2650);  // about 8 KB, under the header line limit
  REQUIRE(header.size() < 8100);
  const std::string raw = raw_exchange(server.port(),
                                       "GET /assets/widget.js HTTP/1.1\r\nHost: x\r\nRange: " + header +
                                           "\r\nConnection: close\r\n\r\n",
                                       std::chrono::milliseconds(10000));
  MESSAGE("response to a " << header.size() << "-byte Range header on a " << widget_js.size()
                           << "-byte file: " << raw.size() << " bytes");
  CHECK(status_of(raw) == 200);
  CHECK(raw.find("multipart/byteranges") == std::string::npos);
  CHECK(body_bytes(raw) == widget_js.size());
  CHECK(raw.size() < widget_js.size() + 2048);
}

TEST_CASE("range: one range or many, every response is the whole representation") {
  TestServer server;
  auto cli = server.client();
  const std::string embed = file_text(default_assets_dir() + "/widget/embed.js");
  const std::vector<std::string> ranges = {"bytes=0-9", "bytes=5-", "bytes=-3", "bytes=0-0,2-2", many_ranges(50)};
  for (const std::string& range : ranges) {
    CAPTURE(range);
    auto r = cli.Get("/embed.js", httplib::Headers{{"Range", range}});
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == embed);
    CHECK_FALSE(r->has_header("Content-Range"));
    auto product = cli.Get("/products/1.json", httplib::Headers{{"Range", range}});
    REQUIRE(product);
    CHECK(product->status == 200);
    CHECK(product->body.rfind("{\"brand\"", 0) == 0);
    // Error answers too.
    auto missing = cli.Get("/assets/nothing.js", httplib::Headers{{"Range", range}});
    REQUIRE(missing);
    CHECK(missing->status == 404);
    CHECK(missing->body.rfind("{\"error\"", 0) == 0);
  }
  auto head = cli.Head("/embed.js");
  REQUIRE(head);
  CHECK(head->get_header_value("Accept-Ranges") == "none");
}

TEST_CASE("frames: page templates are not reachable as static files") {
  TestServer server;
  auto cli = server.client();
  for (const char* path : {"/assets/login.html", "/assets/widget.html", "/assets/lab.html",
                           "/assets/login.html?x=1", "/assets/%6cogin.html", "/assets/./login.html",
                           "/assets/img/../login.html"}) {
    CAPTURE(path);
    auto r = cli.Get(path);
    REQUIRE(r);
    CHECK(r->status == 404);
    CHECK(r->get_header_value("Content-Type").rfind("text/html", 0) != 0);
  }
  // The scripts and styles of the pages still are.
  for (const char* path : {"/assets/login.js", "/assets/widget.css", "/assets/img/camera.svg"}) {
    CAPTURE(path);
    auto r = cli.Get(path);
    REQUIRE(r);
    CHECK(r->status == 200);
  }
}

TEST_CASE("frames: every HTML document says who may frame it") {
  TestServer server;
  auto cli = server.client();
  struct Doc {
    std::string path;
    int status;
    std::string frame_ancestors;  // expected in a Content-Security-Policy
  };
  const std::vector<Doc> docs = {
      {"/widget?product=1&publisher=acme", 200, "frame-ancestors " + kPublisherOrigin},
      {"/widget?product=99999&publisher=acme", 404, "frame-ancestors " + kPublisherOrigin},
      {"/widget?product=1&publisher=nope", 403, "frame-ancestors 'none'"},
      {"/widget?product=1", 403, "frame-ancestors 'none'"},
      {"/login", 200, "frame-ancestors 'none'"},
      {"/lab", 200, "frame-ancestors *"},
  };
  for (const Doc& doc : docs) {
    CAPTURE(doc.path);
    auto r = cli.Get(doc.path);
    REQUIRE(r);
    CHECK(r->status == doc.status);
    CHECK(r->get_header_value("Content-Type").rfind("text/html", 0) == 0);
    CHECK(r->get_header_value("Content-Security-Policy").find(doc.frame_ancestors) != std::string::npos);
  }
  CHECK(cli.Get("/login")->get_header_value("X-Frame-Options") == "DENY");
}
