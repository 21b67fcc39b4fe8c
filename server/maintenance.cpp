#include "maintenance.hpp"

#include "sessions/cookies.hpp"

#include <iostream>

namespace stork {

Maintenance::Maintenance(App& app) : app_(app), thread_([this] { loop(); }) {}

Maintenance::~Maintenance() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Maintenance::run_once(App& app, bool purge) {
  const UnixSeconds now = app.clock.now();
  const auto idle = app.sessions.policy().idle_seconds;
  Services& s = app.services;
  if (purge) {
    app.session_store.purge_expired(now, idle);
    s.throttle.purge(now);
    s.throttle.store().purge_devices(now - kDeviceCookieSeconds);
    s.refresh_tokens.purge(now);
    app.lab_reports.purge_expired(now);
    app.backend->signup_throttle().purge(now, s.signups.rules().window_seconds);
    app.backend->reset_links().purge(now);
    app.backend->identity().purge_jtis(now);
  }
  app.metrics.set_active_sessions(static_cast<std::int64_t>(app.session_store.count_live(now, idle)));
}

void Maintenance::loop() {
  constexpr auto kTick = std::chrono::seconds(5);
  auto next_purge = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    const auto now = std::chrono::steady_clock::now();
    const bool purge = now >= next_purge;
    if (purge) next_purge = now + std::chrono::seconds(app_.config.purge_interval_seconds);
    try {
      run_once(app_, purge);
    } catch (const std::exception& e) {
      std::cerr << "stork: maintenance failed: " << e.what() << "\n";
    }
    lock.lock();
    wake_.wait_for(lock, kTick, [this] { return stopping_; });
  }
}

}  // namespace stork
