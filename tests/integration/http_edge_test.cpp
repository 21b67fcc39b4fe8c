// What happens to every request: limits, error shapes, security and
// caching headers, health and metrics.

#include "in_process_server.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <regex>
#include <thread>

using namespace stork;
using namespace stork::test;

namespace {

void check_json_error(const Reply& r, int status, const std::string& code) {
  CHECK(r.status == status);
  CHECK(r.header("Content-Type").rfind("application/json", 0) == 0);
  const auto j = r.json();
  CHECK(j["error"] == code);
  CHECK(j["message"].is_string());
}

int status_of(const std::string& raw_response) {
  // "HTTP/1.1 411 Length Required"
  if (raw_response.size() < 12 || raw_response.rfind("HTTP/1.", 0) != 0) return 0;
  return std::stoi(raw_response.substr(9, 3));
}

// The value of a Prometheus sample, -1 when absent.
double sample(const std::string& metrics, const std::string& name) {
  const auto at = metrics.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(metrics.substr(at + name.size() + 2));
}

}  // namespace

TEST_CASE("malformed JSON and wrong types are 400 bad_request") {
  TestServer server;
  const auto h = widget_headers();
  for (const char* body : {"{", "[]", "null", "\"x\"", R"({"username":1,"password":"x"})",
                           R"({"username":"alice","password":null})", R"({"username":"alice","password":"x","remember":"yes"})",
                           "{\"username\":\"\xff\",\"password\":\"x\"}", "{\"a\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}"}) {
    CAPTURE(body);
    check_json_error(server.send("POST", "/api/login", h, body), 400, "bad_request");
  }
  const Login in = login(server, "alice", kAlicePassword);
  const auto writes = with(with(h, sid_cookie(in.token)), csrf(in.csrf));
  for (const char* body : {"{", R"({"stars":"5"})", R"({"stars":0})", R"({"stars":6})", R"({"stars":2.5})", "{}"}) {
    CAPTURE(body);
    check_json_error(server.send("PUT", "/api/products/1337/rating", writes, body), 400, "bad_request");
  }
  CHECK(server.scalar("SELECT count(*) FROM ratings") == 0);
}

TEST_CASE("oversized bodies are 413, chunked bodies 411, other content types 415") {
  TestServer server;
  const std::string big = R"({"username":"alice","password":")" + std::string(20000, 'p') + R"("})";
  check_json_error(server.send("POST", "/api/login", widget_headers(), big), 413, "payload_too_large");

  const std::string chunked =
      "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://widget.test\r\n"
      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
      "4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n";
  const std::string response = server.raw(chunked);
  CHECK(status_of(response) == 411);
  CHECK(response.find("length_required") != std::string::npos);
  CHECK(response.find("X-Content-Type-Options: nosniff") != std::string::npos);

  const std::string body = R"({"username":"alice","password":"alice-password-1"})";
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
    CAPTURE(type);
    check_json_error(server.send("POST", "/api/login", widget_headers(), body, type), 415,
                     "unsupported_media_type");
  }
  CHECK(server.send("POST", "/api/login", widget_headers(), body, "application/json; charset=utf-8").status == 200);
  CHECK(server.scalar("SELECT count(*) FROM sessions") == 1);
}

TEST_CASE("too many headers are 431, a malformed Content-Length 400") {
  TestServer server;
  httplib::Headers many;
  for (int i = 0; i < 70; ++i) many.emplace("X-Filler-" + std::to_string(i), "1");
  check_json_error(server.get("/products/1.json", many), 431, "headers_too_large");
  const std::string response = server.raw(
      "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://widget.test\r\n"
      "Content-Type: application/json\r\nContent-Length: 12x\r\nConnection: close\r\n\r\n{}");
  CHECK(status_of(response) == 400);
  CHECK(server.get("/healthz").status == 200);  // and the server lives on
}

TEST_CASE("unknown products and routes are 404 with a JSON error") {
  TestServer server;
  check_json_error(server.get("/products/999.json"), 404, "not_found");
  check_json_error(server.get("/products/abc.json"), 404, "not_found");
  check_json_error(server.get("/products/0.json"), 404, "not_found");
  check_json_error(server.get("/api/nope"), 404, "not_found");
  check_json_error(server.get("/no/such/page"), 404, "not_found");
  const Login in = login(server, "alice", kAlicePassword);
  const auto writes = with(with(widget_headers(), sid_cookie(in.token)), csrf(in.csrf));
  check_json_error(server.send("PUT", "/api/products/999/rating", writes, R"({"stars":3})"), 404, "not_found");
  check_json_error(server.send("PUT", "/api/products/999/wishlist", writes), 404, "not_found");
  CHECK(server.scalar("SELECT count(*) FROM ratings") == 0);
  CHECK(server.scalar("SELECT count(*) FROM wishlist") == 0);
}

TEST_CASE("security and caching headers") {
  TestServer server;
  const Login in = login(server, "alice", kAlicePassword);
  CHECK(in.reply.header("Cache-Control") == "no-store");
  const std::vector<std::string> api = {"/products/1337.json", "/api/me", "/api/sessions", "/products/999.json"};
  for (const auto& path : api) {
    CAPTURE(path);
    const Reply r = server.get(path, sid_cookie(in.token));
    CHECK(r.header("X-Content-Type-Options") == "nosniff");
    CHECK(r.header("Cache-Control") == "no-store");
    CHECK(r.header("Content-Type") == "application/json; charset=utf-8");
  }
  const Reply unauthenticated = server.get("/api/me");
  CHECK(unauthenticated.status == 401);
  CHECK(unauthenticated.header("Cache-Control") == "no-store");
  for (const std::string path : {"/healthz", "/widget?publisher=acme&product=1337", "/login", "/embed.js",
                                 "/assets/widget.js", "/nowhere"}) {
    CAPTURE(path);
    CHECK(server.get(path).header("X-Content-Type-Options") == "nosniff");
  }
}

TEST_CASE("/healthz answers while the database is readable") {
  TestServer server;
  const Reply r = server.get("/healthz");
  CHECK(r.status == 200);
  CHECK(r.body == "ok\n");
}

TEST_CASE("/metrics: counters move") {
  TestServer server;
  const std::string before = server.get("/metrics").body;
  const double ok_before = sample(before, "stork_logins_total{outcome=\"ok\"}");
  const double failed_before = sample(before, "stork_logins_total{outcome=\"failed\"}");
  REQUIRE(ok_before >= 0);
  REQUIRE(failed_before >= 0);

  REQUIRE(login(server, "alice", kAlicePassword).reply.status == 200);
  REQUIRE(login(server, "bob", kBobPassword).reply.status == 200);
  REQUIRE(login(server, "nobody", "whatever-password").reply.status == 401);
  for (int i = 0; i < 3; ++i) REQUIRE(server.get("/products/2.json", {{"Origin", kPublisherOrigin}}).status == 200);

  const Reply r = server.get("/metrics");
  CHECK(r.status == 200);
  CHECK(r.header("Content-Type").rfind("text/plain", 0) == 0);
  CHECK(sample(r.body, "stork_logins_total{outcome=\"ok\"}") == ok_before + 2);
  CHECK(sample(r.body, "stork_logins_total{outcome=\"failed\"}") == failed_before + 1);
  CHECK(r.body.find("# TYPE stork_http_request_duration_seconds histogram") != std::string::npos);

  // Requests are accounted once written; poll briefly instead of sleeping.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::string m;
  do {
    m = server.get("/metrics").body;
    if (sample(m, "stork_http_requests_total{route=\"product\",status=\"200\"}") >= 3 &&
        sample(m, "stork_publisher_requests_total{publisher=\"acme\"}") >= 3) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < deadline);
  CHECK(sample(m, "stork_http_requests_total{route=\"product\",status=\"200\"}") == 3);
  CHECK(sample(m, "stork_http_requests_total{route=\"api_login\",status=\"200\"}") == 2);
  CHECK(sample(m, "stork_http_requests_total{route=\"api_login\",status=\"401\"}") == 1);
  CHECK(sample(m, "stork_publisher_requests_total{publisher=\"acme\"}") == 3);
  CHECK(sample(m, "stork_publisher_response_bytes_total{publisher=\"acme\"}") > 0);
}
