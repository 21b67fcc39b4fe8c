#include "metrics/metrics.hpp"

#include <sstream>

namespace stork {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string_view route_name(Route route) {
  static constexpr std::array<std::string_view, static_cast<std::size_t>(Route::count_)> names = {
      "embed_js", "widget", "login_page", "lab", "assets", "healthz", "metrics",
      "api_login", "api_logout", "api_logout_all", "api_me", "api_sessions",
      "api_session_delete", "api_password", "api_cookie_check", "product", "rating",
      "wishlist", "preflight", "demo_site", "other"};
  return names[static_cast<std::size_t>(route)];
}

Route classify_route(std::string_view method, std::string_view path) {
  if (method == "OPTIONS") return Route::preflight;
  if (starts_with(path, "/products/")) {
    return ends_with(path, ".json") ? Route::product : Route::other;
  }
  if (starts_with(path, "/api/products/")) {
    if (ends_with(path, "/rating")) return Route::rating;
    if (ends_with(path, "/wishlist")) return Route::wishlist;
    return Route::other;
  }
  if (starts_with(path, "/api/sessions")) {
    return method == "DELETE" ? Route::api_session_delete : Route::api_sessions;
  }
  if (path == "/api/login") return Route::api_login;
  if (path == "/api/logout") return Route::api_logout;
  if (path == "/api/logout-all") return Route::api_logout_all;
  if (path == "/api/me") return Route::api_me;
  if (path == "/api/password") return Route::api_password;
  if (path == "/api/cookie-check") return Route::api_cookie_check;
  if (path == "/embed.js") return Route::embed_js;
  if (path == "/widget") return Route::widget;
  if (path == "/login") return Route::login_page;
  if (path == "/lab") return Route::lab;
  if (path == "/healthz") return Route::healthz;
  if (path == "/metrics") return Route::metrics;
  if (starts_with(path, "/assets/")) return Route::assets;
  return Route::other;
}

void Metrics::record_request(Route route, int status, double seconds) {
  const auto r = static_cast<std::size_t>(route);
  std::size_t s = kOtherStatus;
  for (std::size_t i = 0; i < kStatuses.size(); ++i) {
    if (kStatuses[i] == status) {
      s = i;
      break;
    }
  }
  requests_[r][s].fetch_add(1, std::memory_order_relaxed);
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  latency_[r][b].fetch_add(1, std::memory_order_relaxed);
  latency_sum_micros_[r].fetch_add(static_cast<std::uint64_t>(seconds * 1e6),
                                   std::memory_order_relaxed);
}

void Metrics::record_publisher(const std::string& key, std::size_t bytes) {
  std::lock_guard lock(publisher_mutex_);
  auto it = publishers_.find(key);
  // Keys come from registered publishers only, so the map stays small.
  if (it == publishers_.end()) it = publishers_.emplace(key, PublisherCounts{}).first;
  it->second.requests += 1;
  it->second.bytes += bytes;
}

void Metrics::record_identity(std::string_view publisher, std::string_view outcome) {
  std::lock_guard lock(publisher_mutex_);
  ++identity_[{std::string(publisher), std::string(outcome)}];
}

std::string Metrics::render() const {
  std::ostringstream out;
  out << "# HELP stork_http_requests_total HTTP requests by route and status.\n"
         "# TYPE stork_http_requests_total counter\n";
  for (std::size_t r = 0; r < kRoutes; ++r) {
    for (std::size_t s = 0; s <= kStatuses.size(); ++s) {
      const auto n = requests_[r][s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out << "stork_http_requests_total{route=\"" << route_name(static_cast<Route>(r))
          << "\",status=\"" << (s == kOtherStatus ? std::string("other") : std::to_string(kStatuses[s]))
          << "\"} " << n << "\n";
    }
  }
  out << "# HELP stork_http_request_duration_seconds Time from request headers to response.\n"
         "# TYPE stork_http_request_duration_seconds histogram\n";
  for (std::size_t r = 0; r < kRoutes; ++r) {
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kBuckets.size(); ++b) cumulative += latency_[r][b].load();
    if (cumulative == 0) continue;
    const std::string route(route_name(static_cast<Route>(r)));
    std::uint64_t running = 0;
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
      running += latency_[r][b].load();
      out << "stork_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
          << kBuckets[b] << "\"} " << running << "\n";
    }
    out << "stork_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} "
        << cumulative << "\n";
    out << "stork_http_request_duration_seconds_sum{route=\"" << route << "\"} "
        << static_cast<double>(latency_sum_micros_[r].load()) / 1e6 << "\n";
    out << "stork_http_request_duration_seconds_count{route=\"" << route << "\"} " << cumulative
        << "\n";
  }
  out << "# HELP stork_logins_total Login attempts by outcome.\n"
         "# TYPE stork_logins_total counter\n";
  static constexpr std::array<const char*, 4> outcomes = {"ok", "failed", "throttled", "busy"};
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    out << "stork_logins_total{outcome=\"" << outcomes[i] << "\"} " << logins_[i].load() << "\n";
  }
  out << "# HELP stork_active_sessions Live sessions (refreshed every few seconds).\n"
         "# TYPE stork_active_sessions gauge\n"
      << "stork_active_sessions " << active_sessions_.load() << "\n";
  out << "# HELP stork_publisher_requests_total Requests attributed to each publisher.\n"
         "# TYPE stork_publisher_requests_total counter\n";
  std::lock_guard lock(publisher_mutex_);
  for (const auto& [key, counts] : publishers_) {
    out << "stork_publisher_requests_total{publisher=\"" << key << "\"} " << counts.requests
        << "\n";
  }
  out << "# HELP stork_publisher_response_bytes_total Response bytes attributed to each "
         "publisher.\n# TYPE stork_publisher_response_bytes_total counter\n";
  for (const auto& [key, counts] : publishers_) {
    out << "stork_publisher_response_bytes_total{publisher=\"" << key << "\"} " << counts.bytes
        << "\n";
  }
  out << "# HELP stork_identity_sign_ins_total Publisher-asserted sign-ins by publisher and "
         "outcome.\n# TYPE stork_identity_sign_ins_total counter\n";
  for (const auto& [labels, n] : identity_) {
    out << "stork_identity_sign_ins_total{publisher=\"" << labels.first << "\",outcome=\""
        << labels.second << "\"} " << n << "\n";
  }
  return out.str();
}

}  // namespace stork
