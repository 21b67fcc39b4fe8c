#include "http/http_server.hpp"

#include "http/demo_reader_site.hpp"
#include "http/edge.hpp"
#include "http/framing.hpp"
#include "http/routes.hpp"
#include "http/routing.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <iostream>

namespace stork {
namespace {

// The library listens with a backlog of 5, compiled in; bursts of new
// connections would be refused. Re-listen on the bound socket with a real
// backlog (the socket is captured in the socket-options hook).
int bind_with_backlog(httplib::Server& server, int& listen_fd, const HostPort& where) {
  server.set_socket_options([&listen_fd](socket_t fd) {
    int yes = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd = fd;
  });
  int port = where.port;
  if (port == 0) {
    port = server.bind_to_any_port(where.host);
  } else if (!server.bind_to_port(where.host, port)) {
    port = -1;
  }
  if (port > 0 && listen_fd >= 0) ::listen(listen_fd, 1024);
  return port;
}

void common_settings(httplib::Server& server, const Config& cfg) {
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(100000);
  server.set_keep_alive_timeout(cfg.keep_alive_seconds);
  server.set_read_timeout(cfg.read_timeout_seconds, 0);
  server.set_write_timeout(cfg.write_timeout_seconds, 0);
  server.set_payload_max_length(cfg.max_body_bytes);
  // Each open keep-alive connection holds a worker in this library, so the
  // pool must be larger than the connections we expect to hold open.
  // (The library takes ownership of the queue it is handed.)
  const std::size_t workers = cfg.worker_threads;
  server.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  server.set_exception_handler([](const httplib::Request& req, httplib::Response& res,
                                  std::exception_ptr error) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      std::cerr << "stork: internal error on " << req.method << " " << req.path << ": "
                << e.what() << "\n";
    } catch (...) {
      std::cerr << "stork: internal error on " << req.method << " " << req.path << "\n";
    }
    send_error(res, 500, "internal", "Something went wrong on our side.");
  });
}

std::unique_ptr<httplib::Server> make_server(const Config& cfg) {
  if (!cfg.tls()) return std::make_unique<httplib::Server>();
  auto server = std::make_unique<httplib::SSLServer>(cfg.tls_cert.c_str(), cfg.tls_key.c_str());
  if (!server->is_valid()) {
    throw std::invalid_argument("the TLS certificate or key could not be loaded");
  }
  return server;
}

// What `serve --lab-only` answers: the lab, its cookie check, its assets.
bool lab_only_path(const std::string& path) {
  return path == "/lab" || path == "/api/cookie-check" || path.rfind("/api/lab/", 0) == 0 ||
         path.rfind("/lab/", 0) == 0 || path == "/embed.js" || path == "/healthz" ||
         path.rfind("/assets/", 0) == 0;
}

// The publisher-side files the lab's framing page needs ("" is lab.html).
bool lab_only_site_file(const std::string& relative) {
  return relative.empty() || relative == "lab.html" || relative == "lab-frame.js" || relative == "site.css";
}

}  // namespace

HttpServer::HttpServer(App& app) : app_(app), server_(make_server(app.config)) {
  httplib::Server& s = *server_;
  common_settings(s, app.config);
  s.set_pre_routing_handler([&app](const auto& req, auto& res) {
    if (app.config.lab_only && !lab_only_path(req.path)) {
      send_error(res, 404, "not_found", "This server runs only the cookie lab (--lab-only).");
      return httplib::Server::HandlerResponse::Handled;
    }
    return before_routing(app, req, res);
  });
  s.set_post_routing_handler([&app](const auto& req, auto& res) { after_routing(app, req, res); });
  s.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) {
        fill_error_body(req, res);
        return httplib::Server::HandlerResponse::Unhandled;
      }));
  s.set_logger([&app](const auto& req, const auto& res) { account(app, req, res); });
  // The library tries each route's regex in registration order: the
  // product read, the widget's hot path, goes first.
  register_catalog_routes(s, app);
  register_page_routes(s, app);
  register_auth_routes(s, app);
  register_token_routes(s, app);
  register_lab_routes(s, app);
  register_account_routes(s, app);
  register_identity_routes(s, app);
}

HttpServer::~HttpServer() { stop(); }

int HttpServer::bind(const HostPort& where) { return bind_with_backlog(*server_, listen_fd_, where); }
bool HttpServer::run() { return server_->listen_after_bind(); }
void HttpServer::stop() {
  if (server_->is_running()) server_->stop();
}

DemoPublisherSite::DemoPublisherSite(App& app) : server_(make_server(app.config)) {
  Config cfg = app.config;
  cfg.worker_threads = 16;
  common_settings(*server_, cfg);
  apply_framing_rules(*server_);
  if (!app.config.lab_only && app.publishers.contains("demo")) {
    reader_ = std::make_unique<DemoReaderBackend>(app.backend->identity(), "demo", app.public_origin);
    register_demo_reader_routes(*server_, *reader_, app.config.tls());
  }
  server_->Get(R"(/(.*))", [&app, reader = reader_.get()](const httplib::Request& req, httplib::Response& res) {
    std::string relative = req.matches[1].str();
    if (app.config.lab_only && !lab_only_site_file(relative)) {
      res.status = 404;
      res.set_content("Only the cookie lab is served here (--lab-only): see /lab.html\n",
                      "text/plain; charset=utf-8");
      return;
    }
    if (relative.empty()) relative = app.config.lab_only ? "lab.html" : "index.html";
    const auto file = app.site_files.get(relative);
    if (!file) {
      res.status = 404;
      res.set_content("Not found\n", "text/plain; charset=utf-8");
      return;
    }
    std::string body = file->content;
    if (file->content_type.rfind("text/html", 0) == 0) {
      static const std::string placeholder = "{{STORK_ORIGIN}}";
      for (auto at = body.find(placeholder); at != std::string::npos; at = body.find(placeholder, at)) {
        body.replace(at, placeholder.size(), app.public_origin);
        at += app.public_origin.size();
      }
      fill_demo_reader(body, req, reader);
    }
    res.set_header("Cache-Control", "no-cache");
    // The stand-in publisher's pages are top-level pages.
    if (file->content_type.rfind("text/html", 0) == 0) {
      res.set_header("Content-Security-Policy", "frame-ancestors 'self'");
    }
    res.set_content(std::move(body), file->content_type.c_str());
  });
}

DemoPublisherSite::~DemoPublisherSite() { stop(); }
int DemoPublisherSite::bind(const HostPort& where) { return bind_with_backlog(*server_, listen_fd_, where); }
bool DemoPublisherSite::run() { return server_->listen_after_bind(); }
void DemoPublisherSite::stop() {
  if (server_->is_running()) server_->stop();
}

}  // namespace stork
