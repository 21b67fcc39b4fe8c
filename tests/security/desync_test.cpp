// Request desync (CL.0 and client-side): every refusal path gets a first
// request whose body hides a complete second request, at stream offsets
// below and above the library's first 4 KiB read, in one write and with
// the body sent after a pause. The second request must never be answered
// as a request: either the body is read and the connection stays in step
// (a request sent afterwards gets its own answer), or the connection ends.

#include "in_process_server.hpp"

#include <doctest/doctest.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdio>
#include <functional>
#include <thread>

using namespace stork;
using namespace stork::test;

namespace {

// The request hidden in the bodies: its answer ("ok\n") is unmistakable.
const std::string kHidden = "GET /healthz?hidden=1 HTTP/1.1\r\nHost: x\r\n\r\n";
// Sent afterwards on a connection that stayed open: its own answer must be
// the next one.
const std::string kFollowUp = "GET /api/cookie-check?step=read HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

struct Response {
  int status = 0;
  std::string head;
  std::string body;
};

// Splits complete responses off the front of `raw` (Content-Length framing,
// which is all Stork sends).
std::vector<Response> take_responses(std::string& raw) {
  std::vector<Response> out;
  while (true) {
    const auto end = raw.find("\r\n\r\n");
    if (end == std::string::npos || raw.rfind("HTTP/1.1 ", 0) != 0) break;
    Response r;
    r.head = raw.substr(0, end);
    r.status = std::atoi(raw.substr(9, 3).c_str());
    std::string lower = r.head;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto at = lower.find("\r\ncontent-length:");
    const std::size_t length = at == std::string::npos ? 0 : std::strtoull(lower.c_str() + at + 17, nullptr, 10);
    if (raw.size() < end + 4 + length) break;
    r.body = raw.substr(end + 4, length);
    raw.erase(0, end + 4 + length);
    out.push_back(std::move(r));
  }
  return out;
}

class RawSocket {
 public:
  explicit RawSocket(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~RawSocket() { ::close(fd_); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  // The server may refuse and close before all is sent: that is fine.
  void send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  // Reads until the peer closes (true) or nothing more comes for `quiet`.
  bool read_responses(std::vector<Response>& into, std::chrono::milliseconds quiet) {
    char buf[8192];
    while (true) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(quiet.count())) <= 0) break;
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      raw_.append(buf, static_cast<std::size_t>(n));
      for (auto& r : take_responses(raw_)) into.push_back(std::move(r));
    }
    return closed_;
  }
  const std::string& leftover() const { return raw_; }

 private:
  int fd_;
  bool closed_ = false;
  std::string raw_;
};

enum class Delivery { one_write, body_after_pause };

struct Attack {
  std::string head;           // request line and headers, up to the blank line
  std::string body;           // the declared body (or, chunked, its framing)
  std::size_t hidden_at = 0;  // stream offset of the hidden request
};

// `request_line_and_headers` ends with "\r\n"; the head gets the
// Content-Length of a body that puts the hidden request at `offset` in the
// stream (or just after the head, if the head is longer), plus
// `declared_extra` bytes that are declared but not part of `body`.
Attack with_length(const std::string& request_line_and_headers, std::size_t offset,
                   std::size_t declared_extra = 0) {
  Attack a;
  std::size_t body_size = 0;
  // The head's length depends on the digits of the length: settle it.
  for (int i = 0; i < 4; ++i) {
    a.head = request_line_and_headers + "Content-Length: " + std::to_string(body_size + declared_extra) + "\r\n\r\n";
    const std::size_t padding = offset > a.head.size() ? offset - a.head.size() : 0;
    a.body = std::string(padding, ' ') + kHidden + std::string(16, ' ');
    a.hidden_at = a.head.size() + padding;
    if (a.body.size() == body_size) break;
    body_size = a.body.size();
  }
  REQUIRE(a.body.size() == body_size);
  return a;
}

struct Outcome {
  std::vector<Response> responses;
  bool closed = false;
};

Outcome run(int port, const Attack& attack, Delivery delivery) {
  RawSocket c(port);
  if (delivery == Delivery::one_write) {
    c.send(attack.head + attack.body);
  } else {
    c.send(attack.head);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    c.send(attack.body);
  }
  Outcome out;
  out.closed = c.read_responses(out.responses, std::chrono::milliseconds(400));
  if (!out.closed) {
    c.send(kFollowUp);
    out.closed = c.read_responses(out.responses, std::chrono::milliseconds(3000));
  }
  return out;
}

bool answers_hidden(const Response& r) { return r.body == "ok\n"; }
bool answers_follow_up(const Response& r) { return r.body.find("\"unpartitioned\"") != std::string::npos; }

// The rule, checked for one attack.
void check_no_desync(int port, const std::string& name, const std::function<Attack(std::size_t)>& make,
                     int expected_status) {
  for (const std::size_t offset : {std::size_t{1000}, std::size_t{5000}}) {
    for (const Delivery delivery : {Delivery::one_write, Delivery::body_after_pause}) {
      const Attack attack = make(offset);
      CAPTURE(name);
      CAPTURE(attack.hidden_at);
      CAPTURE(delivery == Delivery::one_write ? "one write" : "body after a pause");
      const Outcome out = run(port, attack, delivery);
      for (const Response& r : out.responses) CHECK_FALSE(answers_hidden(r));
      REQUIRE_FALSE(out.responses.empty());
      CHECK(out.responses[0].status == expected_status);
      // Either the connection ended after the refusal, or it is in step:
      // the next answer is the follow-up's.
      if (out.responses.size() > 1) {
        CHECK(out.responses.size() == 2);
        CHECK(answers_follow_up(out.responses[1]));
      }
    }
  }
}

std::string widget_post(const std::string& path, const std::string& extra = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: x\r\nOrigin: " + kWidgetOrigin +
         "\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/json\r\n" + extra;
}

}  // namespace

TEST_CASE("desync: a refusal before routing (403 csrf, 415, 431) is answered after the body is read") {
  TestServer server;
  check_no_desync(server.port(), "403 csrf", [](std::size_t offset) {
    return with_length("POST /api/logout HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example\r\n"
                       "Content-Type: application/json\r\n", offset);
  }, 403);
  check_no_desync(server.port(), "403 csrf on DELETE", [](std::size_t offset) {
    return with_length("DELETE /api/sessions/0123456789abcdef0123456789abcdef HTTP/1.1\r\nHost: x\r\n"
                       "Origin: http://evil.example\r\nContent-Type: application/json\r\n", offset);
  }, 403);
  check_no_desync(server.port(), "415", [](std::size_t offset) {
    return with_length("POST /api/login HTTP/1.1\r\nHost: x\r\nOrigin: " + kWidgetOrigin +
                       "\r\nContent-Type: text/plain\r\n", offset);
  }, 415);
  std::string many;
  for (int i = 0; i < 70; ++i) many += "X-Filler-" + std::to_string(i) + ": y\r\n";
  check_no_desync(server.port(), "431 headers", [&](std::size_t offset) {
    return with_length(widget_post("/api/login", many), offset);
  }, 431);
  std::string cookies = "Cookie: ";
  for (int i = 0; i < 60; ++i) cookies += "c" + std::to_string(i) + "=v; ";
  check_no_desync(server.port(), "431 cookies", [&](std::size_t offset) {
    return with_length(widget_post("/api/login", cookies + "\r\n"), offset);
  }, 431);
}

TEST_CASE("desync: framing that cannot be read safely is refused and the connection ends") {
  TestServer server;
  // Chunked: the hidden request inside the first chunk.
  check_no_desync(server.port(), "411 chunked", [](std::size_t offset) {
    Attack a;
    a.head = widget_post("/api/login", "Transfer-Encoding: chunked\r\n\r\n");
    const std::size_t padding = offset - a.head.size() - 6;
    const std::string chunk = std::string(padding, ' ') + kHidden;
    char size[16];
    std::snprintf(size, sizeof size, "%04zx\r\n", chunk.size());
    a.body = size + chunk + "\r\n0\r\n\r\n";
    return a;
  }, 411);
  // A length far over the limit: refused from the header alone.
  check_no_desync(server.port(), "413 far over the limit", [](std::size_t offset) {
    return with_length(widget_post("/api/login"), offset, 2'000'000);
  }, 413);
  // Two lengths: the library would believe the first.
  check_no_desync(server.port(), "400 two Content-Length", [](std::size_t offset) {
    return with_length(widget_post("/api/login", "Content-Length: 2\r\n"), offset);
  }, 400);
  // A compressed body: the library would inflate it without a bound.
  check_no_desync(server.port(), "415 compressed", [](std::size_t offset) {
    return with_length(widget_post("/api/login", "Content-Encoding: gzip\r\n"), offset);
  }, 415);
  // Bodies on methods whose body the library never reads.
  check_no_desync(server.port(), "400 GET with a body", [](std::size_t offset) {
    return with_length("GET /embed.js HTTP/1.1\r\nHost: x\r\n", offset);
  }, 400);
  check_no_desync(server.port(), "400 OPTIONS with a body", [](std::size_t offset) {
    return with_length("OPTIONS /products/1.json HTTP/1.1\r\nHost: x\r\nOrigin: " + kPublisherOrigin + "\r\n", offset);
  }, 400);
}

TEST_CASE("desync: HEAD with a body gets its head and the connection ends") {
  TestServer server;
  for (const std::size_t offset : {std::size_t{1000}, std::size_t{5000}}) {
    const Attack attack = with_length("HEAD /embed.js HTTP/1.1\r\nHost: x\r\n", offset);
    RawSocket c(server.port());
    c.send(attack.head + attack.body);
    std::vector<Response> responses;
    // A HEAD answer carries a Content-Length but no body: read raw.
    const bool closed = c.read_responses(responses, std::chrono::milliseconds(1500));
    CAPTURE(offset);
    CHECK(closed);
    CHECK(c.leftover().rfind("HTTP/1.1 400", 0) == 0);
    CHECK(c.leftover().find("HTTP/1.1 200") == std::string::npos);
  }
}

TEST_CASE("desync: the library's own refusals end the connection") {
  TestServer server;
  // Over the payload limit but skippable: the library reads past it and
  // answers 413 itself.
  check_no_desync(server.port(), "413 skipped by the library", [](std::size_t offset) {
    Attack a = with_length(widget_post("/api/login"), offset, 20'000);
    a.body += std::string(20'000, ' ');
    return a;
  }, 413);
  // A method the library does not know: it stops reading at the request
  // line, so everything after it is unread.
  check_no_desync(server.port(), "400 unknown method", [](std::size_t offset) {
    return with_length("BREW /api/login HTTP/1.1\r\nHost: x\r\n", offset);
  }, 400);
  // A Range header the library cannot parse: 416 before Stork sees it.
  check_no_desync(server.port(), "416 bad range", [](std::size_t offset) {
    return with_length(widget_post("/api/login", "Range: bytes=9-1\r\n"), offset);
  }, 416);
  // No route: the body was read, the connection stays in step.
  check_no_desync(server.port(), "404 no route", [](std::size_t offset) {
    return with_length(widget_post("/api/nothing-here"), offset);
  }, 404);
  // A URI over the library's limit: refused before the headers are read.
  const std::string long_uri = "GET /" + std::string(9000, 'u') + " HTTP/1.1\r\nHost: x\r\n";
  const Outcome out = run(server.port(), with_length(long_uri, 9500), Delivery::one_write);
  REQUIRE_FALSE(out.responses.empty());
  CHECK(out.responses[0].status == 414);
  for (const Response& r : out.responses) CHECK_FALSE(answers_hidden(r));
}

TEST_CASE("desync: handler refusals come after the body is read") {
  TestServer server;
  // Malformed JSON: the handler refuses it, the body was read.
  check_no_desync(server.port(), "400 from the handler", [](std::size_t offset) {
    return with_length(widget_post("/api/login"), offset);
  }, 400);
  // A body without a length would be read until the peer closes.
  RawSocket c(server.port());
  c.send(widget_post("/api/login", "\r\n") + std::string(1000, ' ') + kHidden);
  std::vector<Response> responses;
  CHECK(c.read_responses(responses, std::chrono::milliseconds(1000)));
  REQUIRE(responses.size() == 1);
  CHECK(responses[0].status == 411);
}

TEST_CASE("desync: the login CSRF of the report (logout from evil.example hiding a login) signs nobody in") {
  TestServer server;
  server.add_user("victim", "correct horse battery");
  const std::string login_body = R"({"username":"victim","password":"correct horse battery"})";
  const std::string hidden_login = widget_post("/api/login", "Content-Length: " + std::to_string(login_body.size()) +
                                                                 "\r\n\r\n") + login_body;
  std::string head = "POST /api/logout HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example\r\n"
                     "Content-Type: application/json\r\nContent-Length: ";
  const std::size_t padding = 4096 - (head.size() + 4 + 4);  // 4-digit length, blank line
  const std::string body = std::string(padding, ' ') + hidden_login;
  head += std::to_string(body.size()) + "\r\n\r\n";
  REQUIRE(head.size() + padding == 4096);
  RawSocket c(server.port());
  c.send(head + body);
  std::vector<Response> responses;
  c.read_responses(responses, std::chrono::milliseconds(1000));
  REQUIRE_FALSE(responses.empty());
  CHECK(responses[0].status == 403);
  for (const Response& r : responses) CHECK(r.head.find("Set-Cookie") == std::string::npos);
  CHECK(responses.size() == 1);
}
