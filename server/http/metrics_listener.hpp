#pragma once
// The metrics: on the widget listener for local clients, or (with
// --metrics-listen HOST:PORT) on a listener of their own that serves
// nothing else, for an operator who binds it where the scraper reaches it.

#include "config.hpp"
#include "app.hpp"

#include <httplib.h>

#include <string_view>

namespace stork {

// 127.0.0.0/8, ::1 and IPv4-mapped 127.x.
bool is_loopback_address(std::string_view address);

// The Prometheus text of the app's metrics.
void serve_metrics(App& app, httplib::Response& res);

class MetricsListener {
 public:
  explicit MetricsListener(App& app);
  ~MetricsListener();
  MetricsListener(const MetricsListener&) = delete;
  MetricsListener& operator=(const MetricsListener&) = delete;

  // Binds; port 0 picks a free one. Returns the port, or -1.
  int bind(const HostPort& where);
  bool run();
  bool running() const { return server_.is_running(); }
  void stop();

 private:
  httplib::Server server_;
};

}  // namespace stork
