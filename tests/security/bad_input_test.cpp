// A sweep of a few thousand malformed and hostile requests (ASVS V5.1,
// V13.1): no 5xx, the server stays up, and the database is unchanged.

#include "in_process_server.hpp"
#include "raw_socket.hpp"
#include "database_fingerprint.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <future>
#include <list>
#include <map>
#include <random>
#include <utility>

using namespace stork;
using namespace stork::test;
using nlohmann::json;

namespace {

const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD",
                                           "TRACE", "CONNECT", "PROPFIND", "get", "G\x01T", "", "GET GET",
                                           std::string(300, 'M')};
const std::vector<std::string> kPaths = {
    "/api/login", "/api/logout", "/api/logout-all", "/api/me", "/api/sessions",
    "/api/sessions/0123456789abcdef0123456789abcdef", "/api/password", "/products/1.json",
    "/products/-1.json", "/products/99999999999999999999.json", "/products/1e3.json",
    "/api/products/1/rating", "/api/products/0/rating", "/api/products/abc/wishlist",
    "/assets/../../etc/passwd", "/assets/%2e%2e/%2e%2e/etc/passwd", "/assets/..%2f..%2fetc%2fpasswd",
    "/assets/%252e%252e/x", "/assets/.hidden", "/assets/widget.js%00.png", "/assets/..\\..\\x",
    "/assets/img/../../../CMakeLists.txt", "/widget?product=1&publisher=%00", "/widget?publisher[]=a",
    "/login/../metrics", "//etc/passwd", "/%", "/%zz", "/api/cookie-check?step=%ff", "*", "/\xc3\x28",
    "/api/login?" + std::string(2000, 'q'), "/embed.js?x=\r\nSet-Cookie: a=b"};
const std::vector<std::string> kBodies = {
    "", "{", "}", "null", "[]", "\"str\"", "{\"username\":1,\"password\":2}",
    "{\"username\":\"a\",\"password\":null}", "{\"stars\":\"5\"}", "{\"stars\":5.5}", "{\"stars\":1e400}",
    "{\"stars\":-9223372036854775809}", "{\"stars\":99999999999999999999999}", "{\"stars\":0}",
    "{\"username\":\"a\",\"username\":\"b\",\"password\":\"c\"}", "{\"username\":\"\xc3\x28\",\"password\":\"x\"}",
    "{\"username\":\"\\ud800\",\"password\":\"x\"}", "{\"old_password\":[],\"new_password\":{}}",
    std::string(40, '[') + std::string(40, ']'), "{\"a\":" + std::string(30, '{') + std::string(30, '}') + "}",
    "\xef\xbb\xbf{\"stars\":3}", "{\"stars\":3}garbage", "{\"stars\":3,}", "{'stars':3}",
    std::string(5000, ' ') + "{}", "{\"username\":\"" + std::string(70, 'u') + "\",\"password\":\"x\"}"};
const std::vector<std::string> kCookies = {
    "", "stork_sid=", "stork_sid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "stork_sid=" + std::string(43, '-'), "stork_sid=" + std::string(4000, 'A'),
    "stork_sid=a; stork_sid=b; stork_sid=c; __Host-stork_psid=d", "stork_sid=\"quoted\"", "=====; ;;; =",
    "stork_sid=\xff\xfe\xfd", "__Host-stork_psid=../../etc", "stork_sid=AAAA\r\nX-Injected: 1"};
const std::vector<std::string> kTypes = {"application/json", "text/plain", "application/json; charset=utf-7",
                                         "multipart/form-data; boundary=x", "", "application/jsonx",
                                         "application/x-www-form-urlencoded"};
const std::vector<std::string> kOrigins = {kWidgetOrigin, "", "null", kPublisherOrigin, "https://evil.example",
                                           "https://widget.test\r\nX: y", "https://WIDGET.test", "file://"};

struct RawRequest {
  std::string bytes;
  // Declares more body than it sends: the server can only answer once its
  // read timeout has passed.
  bool stalls = false;
};

RawRequest raw_request(std::mt19937& rng) {
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  const std::string body = pick(kBodies);
  std::string head = pick(kMethods) + " " + pick(kPaths) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (const auto o = pick(kOrigins); !o.empty()) head += "Origin: " + o + "\r\n";
  if (const auto c = pick(kCookies); !c.empty()) head += "Cookie: " + c + "\r\n";
  if (const auto t = pick(kTypes); !t.empty()) head += "Content-Type: " + t + "\r\n";
  const auto framing = rng() % 8;
  switch (framing) {
    case 0: head += "Content-Length: " + std::to_string(body.size() + 10) + "\r\n"; break;  // lies: longer
    case 1: head += "Content-Length: 18446744073709551616\r\n"; break;
    case 2: head += "Content-Length: 5, 5\r\n"; break;
    case 3: head += "Authorization: Bearer " + std::string(43, 'B') + "\r\n"; [[fallthrough]];
    default: head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  if (rng() % 5 == 0) head += "X-CSRF-Token: forged\r\n";
  if (rng() % 7 == 0) head += "Sec-Fetch-Site: cross-site\r\n";
  if (rng() % 9 == 0) head += "Header Without Colon\r\n";
  if (rng() % 11 == 0) head += "X-Bad: \x01\x7f\xff\r\n";
  if (rng() % 13 == 0) head += "Expect: 100-continue\r\n";
  return {head + "\r\n" + body, framing == 0};
}

}  // namespace

TEST_CASE("bad input: thousands of hostile requests, no 5xx, server up, database unchanged") {
  TestServer server;
  server.add_user("quinn", "quinn's long secret");
  auto cli = server.client();
  const auto quinn = login(cli, "quinn", "quinn's long secret");
  REQUIRE(quinn);
  REQUIRE(cli.Put("/api/products/1/rating", widget_headers(quinn->cookie(), quinn->csrf),
                  json{{"stars", 4}}.dump(), "application/json")->status == 200);
  const std::string before = database_fingerprint(server.db());

  std::mt19937 rng(20240601);
  std::map<int, int> statuses;
  int sent = 0;
  // Raw sockets: anything goes on the wire. The same requests in the same
  // order, but those that may stall the server until its read timeout run
  // in the background (at most kStalled unanswered at once, well below the
  // server's workers) instead of one after another: waited out in turn they
  // took over 2 minutes.
  constexpr std::size_t kStalled = 32;
  std::list<std::pair<int, std::future<std::string>>> stalled;
  auto settle = [&](int i, const std::string& raw) {
    const int status = status_of(raw);
    ++statuses[status];
    CAPTURE(i);
    CHECK(status < 500);
  };
  auto settle_answered = [&] {
    std::erase_if(stalled, [&](auto& s) {
      if (s.second.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
      settle(s.first, s.second.get());
      return true;
    });
  };
  for (int i = 0; i < 2500; ++i, ++sent) {
    auto request = raw_request(rng);
    if (!request.stalls) {
      settle(i, raw_exchange(server.port(), request.bytes, std::chrono::milliseconds(3000)));
      continue;
    }
    settle_answered();
    while (stalled.size() >= kStalled) {
      stalled.front().second.wait();
      settle_answered();
    }
    stalled.emplace_back(i, std::async(std::launch::async, [port = server.port(), bytes = std::move(request.bytes)] {
                           return raw_exchange(port, bytes, std::chrono::milliseconds(3000));
                         }));
  }
  for (auto& [i, raw] : stalled) settle(i, raw.get());
  // Through an HTTP client with the victim's real cookie but forged or
  // missing CSRF tokens and hostile origins: nothing may change.
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  for (int i = 0; i < 1000; ++i, ++sent) {
    httplib::Headers h{{"Cookie", quinn->cookie()}};
    if (const auto o = pick(kOrigins); o != kWidgetOrigin) h.emplace("Origin", o);
    h.emplace("X-CSRF-Token", i % 2 ? "forged-token" : quinn->csrf.substr(0, quinn->csrf.size() - 1) + "A");
    const std::string path = i % 3 == 0 ? "/api/products/1/rating" : i % 3 == 1 ? "/api/password" : "/api/logout-all";
    const std::string body = i % 4 == 0 ? json{{"stars", 1}}.dump() : pick(kBodies);
    auto r = (i % 2) ? cli.Put(path, h, body, pick(kTypes).c_str()) : cli.Post(path, h, body, "application/json");
    REQUIRE(r);
    ++statuses[r->status];
    CHECK(r->status < 500);
    CHECK(r->status >= 400);
  }
  std::string summary;
  for (const auto& [status, n] : statuses) summary += " " + std::to_string(status) + "x" + std::to_string(n);
  MESSAGE("bad inputs sent: " << sent << "; statuses:" << summary);
  auto health = cli.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(cli.Get("/api/me", httplib::Headers{{"Cookie", quinn->cookie()}})->status == 200);
  CHECK(database_fingerprint(server.db()) == before);
}
