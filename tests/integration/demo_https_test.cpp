// `stork demo --https`: a certificate made on the spot, served, and its
// fingerprint printed; plain `stork demo` tells Safari users what to expect.

#include "in_process_server.hpp"
#include "child_process.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <cstdio>
#include <regex>
#include <thread>

using namespace stork;
using namespace stork::test;

namespace {

bool https_ok(int port, const char* path) {
  httplib::SSLClient client("127.0.0.1", port);
  client.enable_server_certificate_verification(false);
  client.set_connection_timeout(1, 0);
  const auto res = client.Get(path);
  return res && res->status == 200;
}

std::string openssl_fingerprint(const std::string& cert) {
  const std::string cmd = "openssl x509 -in '" + cert + "' -noout -fingerprint -sha256";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buf[256] = {};
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, pipe);
  pclose(pipe);
  std::string line(buf, n);
  const auto eq = line.find('=');
  return eq == std::string::npos ? "" : line.substr(eq + 1, 95);
}

}  // namespace

TEST_CASE("demo --https serves HTTPS with a certificate whose fingerprint it prints") {
  TempDir dir;
  const int port = free_port();
  const int site = free_port();
  const std::string db = dir.file("demo.db");
  RunningStork demo({"demo", "--https", "--listen", "127.0.0.1:" + std::to_string(port), "--demo-publisher",
                     "127.0.0.1:" + std::to_string(site), "--db", db});
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    up = https_ok(port, "/healthz");
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(up);
  CHECK(https_ok(site, "/"));  // the demo publisher site, over HTTPS too
  const ProcessResult result = demo.stop(SIGTERM);
  std::smatch m;
  const std::regex printed("SHA-256 fingerprint ([0-9A-F:]{95})");
  REQUIRE(std::regex_search(result.out, m, printed));
  CHECK(m[1].str() == openssl_fingerprint(dir.file("demo-tls/cert.pem")));
  CHECK(result.out.find("https://localhost:" + std::to_string(port)) != std::string::npos);
}

TEST_CASE("plain demo tells a Safari user what to expect on http://localhost") {
  TempDir dir;
  const int port = free_port();
  RunningStork demo({"demo", "--listen", "127.0.0.1:" + std::to_string(port), "--demo-publisher",
                     "127.0.0.1:" + std::to_string(free_port()), "--db", dir.file("demo.db")});
  httplib::Client client("127.0.0.1", port);
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    const auto res = client.Get("/healthz");
    up = res && res->status == 200;
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(up);
  const ProcessResult result = demo.stop(SIGTERM);
  CHECK(result.out.find("Safari (WebKit)") != std::string::npos);
  CHECK(result.out.find("stork demo --https") != std::string::npos);
}
