#pragma once
// Counters for /metrics (Prometheus text format). Recording is lock-free
// except for the per-publisher accounting, which takes a short mutex.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace stork {

enum class Route : std::uint8_t {
  embed_js, widget, login_page, lab, assets, healthz, metrics,
  api_login, api_logout, api_logout_all, api_me, api_sessions, api_session_delete,
  api_password, api_cookie_check, product, rating, wishlist, preflight, demo_site, other,
  count_
};

std::string_view route_name(Route route);

// Which route a request is for, from its method and path alone. Used for
// accounting, and independent of the handlers so it can be fuzzed.
Route classify_route(std::string_view method, std::string_view path);

enum class LoginCounter : std::uint8_t { ok, failed, throttled, busy, count_ };

class Metrics {
 public:
  void record_request(Route route, int status, double seconds);
  void record_publisher(const std::string& publisher_key, std::size_t response_bytes);
  void record_login(LoginCounter outcome) {
    logins_[static_cast<std::size_t>(outcome)].fetch_add(1, std::memory_order_relaxed);
  }
  void set_active_sessions(std::int64_t n) { active_sessions_.store(n); }
  // Identity sign-ins by publisher ("" when no registered one is known)
  // and outcome ("ok" or a refusal name): both come from bounded sets.
  void record_identity(std::string_view publisher, std::string_view outcome);

  std::string render() const;

 private:
  static constexpr std::array<int, 15> kStatuses = {200, 204, 304, 400, 401, 403, 404,
                                                    405, 411, 413, 415, 429, 431, 500, 503};
  static constexpr std::size_t kOtherStatus = kStatuses.size();
  static constexpr std::array<double, 10> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                      0.025,  0.05,  0.1,    0.5,   2.5};
  static constexpr std::size_t kRoutes = static_cast<std::size_t>(Route::count_);

  std::array<std::array<std::atomic<std::uint64_t>, kStatuses.size() + 1>, kRoutes> requests_{};
  std::array<std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1>, kRoutes> latency_{};
  std::array<std::atomic<std::uint64_t>, kRoutes> latency_sum_micros_{};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(LoginCounter::count_)> logins_{};
  std::atomic<std::int64_t> active_sessions_{0};

  struct PublisherCounts {
    std::uint64_t requests = 0;
    std::uint64_t bytes = 0;
  };
  mutable std::mutex publisher_mutex_;
  std::map<std::string, PublisherCounts, std::less<>> publishers_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> identity_;
};

}  // namespace stork
