// Response headers (ASVS V14.4, V3.4, V3.3.1).

#include "in_process_server.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <regex>

using namespace stork;
using namespace stork::test;
using nlohmann::json;

namespace {

std::string csp_directive(const std::string& csp, const std::string& name) {
  std::size_t at = 0;
  while (at < csp.size()) {
    auto end = csp.find(';', at);
    if (end == std::string::npos) end = csp.size();
    std::string part = csp.substr(at, end - at);
    while (!part.empty() && part.front() == ' ') part.erase(0, 1);
    if (part.rfind(name + " ", 0) == 0) return part.substr(name.size() + 1);
    at = end + 1;
  }
  return {};
}

}  // namespace

TEST_CASE("headers: strict CSP on the widget, login and lab pages; no inline script in them") {
  TestServer server;
  auto cli = server.client();
  struct Page {
    std::string path, file, frame_ancestors;
  };
  for (const Page& page : {Page{"/widget?product=1&publisher=acme", "widget.html",
                                kPublisherOrigin + " " + kSecondPublisherOrigin},
                           Page{"/login", "login.html", "'none'"}, Page{"/lab", "lab.html", "*"}}) {
    CAPTURE(page.path);
    auto r = cli.Get(page.path);
    REQUIRE(r);
    CHECK(r->status == 200);
    const std::string csp = r->get_header_value("Content-Security-Policy");
    CHECK(csp_directive(csp, "default-src") == "'none'");
    const std::string script = csp_directive(csp, "script-src");
    CHECK(script == "'self'");
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    CHECK(csp.find("unsafe-eval") == std::string::npos);
    CHECK(csp_directive(csp, "base-uri") == "'none'");
    CHECK(csp_directive(csp, "frame-ancestors") == page.frame_ancestors);
    CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(r->get_header_value("Referrer-Policy") == "strict-origin-when-cross-origin");
    // The page itself: every script is an external file, no handler attributes.
    const std::regex inline_script(R"(<script(?![^>]*\bsrc=)[^>]*>)", std::regex::icase);
    const std::regex handler(R"(\son[a-z]+\s*=)", std::regex::icase);
    CHECK_FALSE(std::regex_search(r->body, inline_script));
    CHECK_FALSE(std::regex_search(r->body, handler));
    CHECK(r->body.find("javascript:") == std::string::npos);
  }
  auto login_page = cli.Get("/login");
  CHECK(login_page->get_header_value("X-Frame-Options") == "DENY");
  // An unknown publisher can frame nothing.
  auto unknown = cli.Get("/widget?product=1&publisher=nope");
  REQUIRE(unknown);
  CHECK(unknown->status == 403);
  CHECK(csp_directive(unknown->get_header_value("Content-Security-Policy"), "frame-ancestors") == "'none'");
}

TEST_CASE("headers: no-store on every response with personal data or a cookie") {
  TestServer server;
  server.add_user("nina", "nina's long secret");
  auto cli = server.client();
  auto in = cli.Post("/api/login", widget_headers(),
                     json{{"username", "nina"}, {"password", "nina's long secret"}}.dump(), "application/json");
  REQUIRE(in);
  REQUIRE(in->status == 200);
  CHECK(in->get_header_value("Cache-Control") == "no-store");
  const auto who = login(cli, "nina", "nina's long secret");
  REQUIRE(who);
  const httplib::Headers mine{{"Cookie", who->cookie()}};
  for (const char* path : {"/api/me", "/api/sessions", "/products/1.json", "/api/cookie-check?step=set",
                           "/api/cookie-check?step=read"}) {
    CAPTURE(path);
    auto r = cli.Get(path, mine);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Cache-Control") == "no-store");
    CHECK(r->get_header_value_count("Cache-Control") == 1);
    CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
  }
  auto failed = cli.Post("/api/login", widget_headers(), json{{"username", "nina"}, {"password", "nope"}}.dump(),
                         "application/json");
  REQUIRE(failed);
  CHECK(failed->get_header_value("Cache-Control") == "no-store");
}

TEST_CASE("headers: logout clears site data and expires both cookies with their exact attributes") {
  TestServer server;
  server.add_user("olga", "olga's long secret");
  auto cli = server.client();
  const auto who = login(cli, "olga", "olga's long secret");
  REQUIRE(who);
  auto out = cli.Post("/api/logout", widget_headers(who->cookie(), who->csrf), "", "application/json");
  REQUIRE(out);
  CHECK(out->status == 204);
  CHECK(out->get_header_value("Clear-Site-Data") == "\"cookies\"");
  CHECK(out->get_header_value("Cache-Control") == "no-store");
  CHECK(set_cookie_line(*out, "stork_sid") == "stork_sid=; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=0");
  CHECK(set_cookie_line(*out, "__Host-stork_psid") ==
        "__Host-stork_psid=; Path=/; Secure; HttpOnly; SameSite=None; Partitioned; Max-Age=0");
  CHECK(cli.Get("/api/me", httplib::Headers{{"Cookie", who->cookie()}})->status == 401);
  // Login sets the same attributes (so the expiry above replaces them).
  auto in = cli.Post("/api/login", widget_headers(),
                     json{{"username", "olga"}, {"password", "olga's long secret"}}.dump(), "application/json");
  REQUIRE(in);
  const auto sid = set_cookie_line(*in, "stork_sid");
  REQUIRE(sid);
  CHECK(std::regex_match(*sid, std::regex(R"(stork_sid=[A-Za-z0-9_-]{43}; Path=/; Secure; HttpOnly; SameSite=None)")));
  const auto psid = set_cookie_line(*in, "__Host-stork_psid");
  REQUIRE(psid);
  CHECK(std::regex_match(
      *psid, std::regex(R"(__Host-stork_psid=[A-Za-z0-9_-]{43}; Path=/; Secure; HttpOnly; SameSite=None; Partitioned)")));
}

TEST_CASE("headers: HSTS in TLS mode only") {
  TempDir dir;
  const auto cert = (dir.path() / "cert.pem").string(), key = (dir.path() / "key.pem").string();
  const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=widget.test -keyout '" +
                          key + "' -out '" + cert + "' >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  TestServer tls(ServerOptions{.tls_cert = cert, .tls_key = key});
  httplib::SSLClient cli("127.0.0.1", tls.port());
  cli.enable_server_certificate_verification(false);
  auto r = cli.Get("/healthz");
  REQUIRE(r);
  CHECK(r->get_header_value("Strict-Transport-Security").find("max-age=31536000") == 0);
  TestServer plain;
  auto p = plain.client().Get("/healthz");
  REQUIRE(p);
  CHECK_FALSE(p->has_header("Strict-Transport-Security"));
}
