// The HTTP edge (ASVS V13.1, V12.1, V5.1.4, V1.14): limits answered with a
// JSON 4xx before any body is buffered, and slow clients that cannot stop
// others from being served.

#include "in_process_server.hpp"
#include "raw_socket.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace stork;
using namespace stork::test;
using nlohmann::json;

namespace {

std::string json_error_of(const std::string& raw) {
  const auto body = raw.find("\r\n\r\n");
  if (body == std::string::npos) return {};
  try {
    return json::parse(raw.substr(body + 4)).at("error").get<std::string>();
  } catch (const std::exception&) {
    return "<not json>";
  }
}

std::string post_head(const std::string& path, const std::string& extra) {
  return "POST " + path + " HTTP/1.1\r\nHost: x\r\nOrigin: " + kWidgetOrigin +
         "\r\nContent-Type: application/json\r\nConnection: close\r\n" + extra + "\r\n";
}

}  // namespace

TEST_CASE("edge: an oversized body is refused from its Content-Length, before it is sent") {
  TestServer server;
  // Only the head is sent: the answer comes without waiting for 10 MB.
  const auto t0 = std::chrono::steady_clock::now();
  const std::string raw = raw_exchange(server.port(), post_head("/api/login", "Content-Length: 10000000\r\n"));
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
  CHECK(status_of(raw) == 413);
  CHECK(json_error_of(raw) == "payload_too_large");
  CHECK(status_of(raw_exchange(server.port(), post_head("/api/login", "Content-Length: 99999999999999999999\r\n"))) ==
        400);
  CHECK(status_of(raw_exchange(server.port(), post_head("/api/login", "Content-Length: -1\r\n"))) == 400);
}

TEST_CASE("edge: chunked request bodies are refused with 411") {
  TestServer server;
  const std::string raw = raw_exchange(
      server.port(), post_head("/api/login", "Transfer-Encoding: chunked\r\n") + "FFFFFFF\r\n" + std::string(1000, 'a'));
  CHECK(status_of(raw) == 411);
  CHECK(json_error_of(raw) == "length_required");
}

TEST_CASE("edge: too many headers or cookies give 431") {
  TestServer server;
  std::string many;
  for (int i = 0; i < 80; ++i) many += "X-Filler-" + std::to_string(i) + ": y\r\n";
  std::string raw = raw_exchange(server.port(), "GET /api/me HTTP/1.1\r\nHost: x\r\n" + many + "\r\n");
  CHECK(status_of(raw) == 431);
  CHECK(json_error_of(raw) == "headers_too_large");
  std::string cookies = "Cookie: ";
  for (int i = 0; i < 60; ++i) cookies += "c" + std::to_string(i) + "=v; ";
  raw = raw_exchange(server.port(), "GET /api/me HTTP/1.1\r\nHost: x\r\n" + cookies + "\r\n\r\n");
  CHECK(status_of(raw) == 431);
  // One header line over the library's 8 KiB limit: refused, no crash.
  raw = raw_exchange(server.port(), "GET /api/me HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'b') + "\r\n\r\n");
  CHECK(status_of(raw) >= 400);
  CHECK(status_of(raw) < 500);
  // A URI over 8 KiB.
  raw = raw_exchange(server.port(), "GET /" + std::string(9000, 'u') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(status_of(raw) == 414);
}

TEST_CASE("edge: JSON nesting, field lengths and content type are checked") {
  TestServer server;
  auto cli = server.client();
  auto post = [&](const std::string& body, const std::string& type = "application/json") {
    auto r = cli.Post("/api/login", widget_headers(), body, type.c_str());
    REQUIRE(r);
    return std::make_pair(r->status, json::parse(r->body).value("error", ""));
  };
  std::string deep = std::string(20, '[') + std::string(20, ']');
  CHECK(post(deep) == std::make_pair(400, std::string("bad_request")));
  CHECK(post(R"({"username":{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{}}}}}}}}},"password":"x"})").first == 400);
  CHECK(post(json{{"username", std::string(65, 'u')}, {"password", "x"}}.dump()).first == 400);
  CHECK(post(json{{"username", std::string(64, 'u')}, {"password", "x"}}.dump()).first == 401);
  CHECK(post(json{{"username", "u"}, {"password", std::string(1025, 'p')}}.dump()).first == 400);
  CHECK(post(json{{"username", "u2"}, {"password", std::string(1024, 'p')}}.dump()).first == 401);
  CHECK(post(R"({"username":"u3","password":"x"})", "text/plain").first == 415);
  CHECK(post(R"({"username":"u4","password":"x"})", "application/x-www-form-urlencoded").first == 415);
  CHECK(post("{\"username\":\"\xff\xfe\",\"password\":\"x\"}") == std::make_pair(400, std::string("bad_request")));
}

TEST_CASE("edge: 200 idle or slow connections do not stop a normal request from being answered within 1 s") {
  TestServer server(ServerOptions{.workers = 256});
  std::vector<RawConnection> held;
  held.reserve(200);
  for (int i = 0; i < 200; ++i) {
    RawConnection c(server.port());
    REQUIRE(c.connected());
    // A third say nothing, a third send half a request line, a third send
    // headers and then stall before the blank line.
    if (i % 3 == 1) c.send("GET /api/me HT");
    if (i % 3 == 2) c.send("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n");
    held.push_back(std::move(c));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the server accept them all
  for (int i = 0; i < 5; ++i) {
    auto cli = server.client();
    cli.set_connection_timeout(1, 0);
    cli.set_read_timeout(1, 0);
    const auto t0 = std::chrono::steady_clock::now();
    auto r = cli.Get("/products/1.json");
    const auto elapsed = std::chrono::steady_clock::now() - t0;
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(elapsed < std::chrono::seconds(1));
  }
  // The stalled ones are cut off by the read timeout, not kept for ever.
  CHECK(held[0].closed_by_peer_within(std::chrono::seconds(8)));
  CHECK(held[1].closed_by_peer_within(std::chrono::seconds(8)));
  CHECK(held[2].closed_by_peer_within(std::chrono::seconds(8)));
}
