#include "http/metrics_listener.hpp"

#include "http/framing.hpp"
#include "http/routing.hpp"

namespace stork {

bool is_loopback_address(std::string_view address) {
  return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}


void serve_metrics(App& app, httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  res.set_content(app.metrics.render() + app.backend->metrics_text(),
                  "text/plain; version=0.0.4; charset=utf-8");
}

MetricsListener::MetricsListener(App& app) {
  // A scraper makes one small request now and then: a few workers and
  // short timeouts are plenty.
  server_.new_task_queue = [] { return new httplib::ThreadPool(2); };
  server_.set_keep_alive_timeout(app.config.keep_alive_seconds);
  server_.set_read_timeout(app.config.read_timeout_seconds, 0);
  server_.set_write_timeout(app.config.write_timeout_seconds, 0);
  server_.set_payload_max_length(0);
  apply_framing_rules(server_);  // as on the widget listener (framing.hpp)
  server_.Get("/metrics", [&app](const httplib::Request&, httplib::Response& res) { serve_metrics(app, res); });
  server_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    send_error(res, res.status, res.status == 404 ? "not_found" : "error",
               "This listener serves GET /metrics only.");
  });
}

MetricsListener::~MetricsListener() { stop(); }

int MetricsListener::bind(const HostPort& where) {
  if (where.port == 0) return server_.bind_to_any_port(where.host);
  return server_.bind_to_port(where.host, where.port) ? where.port : -1;
}

bool MetricsListener::run() { return server_.listen_after_bind(); }

void MetricsListener::stop() {
  if (server_.is_running()) server_.stop();
}

}  // namespace stork
