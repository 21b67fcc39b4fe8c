// `stork demo`: Shutterbug Weekly's own reader sign-in, and the identity
// token its pages then carry, which the widget server accepts.

#include "in_process_server.hpp"
#include "child_process.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <thread>

using namespace stork;
using namespace stork::test;

TEST_CASE("demo: a reader signed in to the publisher site gets pages with a token that signs the widget in") {
  TempDir dir;
  const int port = free_port();
  const int site_port = free_port();
  RunningStork demo({"demo", "--listen", "127.0.0.1:" + std::to_string(port), "--demo-publisher",
                     "127.0.0.1:" + std::to_string(site_port), "--db", dir.file("demo.db")});
  httplib::Client site("127.0.0.1", site_port);
  httplib::Client widget("127.0.0.1", port);
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    const auto res = site.Get("/");
    up = res && res->status == 200 && widget.Get("/healthz");
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(up);

  const auto anonymous = site.Get("/");
  CHECK(anonymous->body.find("/reader/sign-in") != std::string::npos);
  CHECK(anonymous->body.find("data-identity-token") == std::string::npos);
  CHECK(anonymous->body.find("{{") == std::string::npos);

  const auto signed_in = site.Post("/reader/sign-in", "next=/other.html", "application/x-www-form-urlencoded");
  REQUIRE(signed_in);
  CHECK(signed_in->status == 303);
  CHECK(signed_in->get_header_value("Location") == "/other.html");
  const std::string cookie = signed_in->get_header_value("Set-Cookie");
  REQUIRE(cookie.rfind("shutterbug_reader=jane", 0) == 0);

  const auto page = site.Get("/other.html", {{"Cookie", "shutterbug_reader=jane"}});
  const std::string marker = "data-identity-token=\"";
  const auto at = page->body.find(marker);
  REQUIRE(at != std::string::npos);
  const std::string token = page->body.substr(at + marker.size(), page->body.find('"', at + marker.size()) - at - marker.size());
  CHECK(page->body.find("Signed in as Jane Reader") != std::string::npos);

  const std::string origin = "http://localhost:" + std::to_string(port);
  const auto in = widget.Post("/api/identity", {{"Origin", origin}, {"Sec-Fetch-Site", "same-origin"}},
                              nlohmann::json{{"token", token}, {"page_origin", "http://127.0.0.1:" + std::to_string(site_port)}}.dump(),
                              "application/json");
  REQUIRE(in);
  CHECK(in->status == 200);
  CHECK(nlohmann::json::parse(in->body)["user"]["first"] == "Jane");

  // Signing out of the site tells the widget too.
  const auto out = site.Post("/reader/sign-out", "next=/", "application/x-www-form-urlencoded");
  CHECK(out->get_header_value("Location") == "/?signed-out=1");
  CHECK(site.Get("/?signed-out=1")->body.find("window.Stork.signOut()") != std::string::npos);
  demo.stop(SIGTERM);
}
