#pragma once
// The widget server (and, for the demo, the publisher site) on top of
// cpp-httplib, configured past the library's shipped defaults.

#include "config.hpp"
#include "app.hpp"
#include "identity/demo_reader.hpp"

#include <httplib.h>

#include <memory>
#include <string>

namespace stork {

class HttpServer {
 public:
  explicit HttpServer(App& app);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds; port 0 picks a free one. Returns the port, or -1 (port taken,
  // address invalid).
  int bind(const HostPort& where);
  // Serves until stop(). Returns false if serving failed.
  bool run();
  void stop();

 private:
  App& app_;
  std::unique_ptr<httplib::Server> server_;
  int listen_fd_ = -1;
};

// A stand-in publisher: serves static/ with {{STORK_ORIGIN}} replaced by
// the widget's public origin, so the demo page embeds the real snippet;
// and, for the publisher "demo", a reader sign-in of its own whose pages
// carry identity tokens (http/demo_reader_site.hpp).
class DemoPublisherSite {
 public:
  explicit DemoPublisherSite(App& app);
  ~DemoPublisherSite();
  int bind(const HostPort& where);
  bool run();
  void stop();

 private:
  std::unique_ptr<httplib::Server> server_;
  std::unique_ptr<DemoReaderBackend> reader_;
  int listen_fd_ = -1;
};

}  // namespace stork
