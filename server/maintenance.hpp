#pragma once
// Background upkeep while serving: purge expired sessions, refresh the
// active-session gauge. Stops (and joins) when destroyed. (Publishers
// changed by the CLI are picked up by PublisherDirectory itself.)

#include "app.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace stork {

class Maintenance {
 public:
  explicit Maintenance(App& app);
  ~Maintenance();
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;

  // One round of upkeep, also callable directly (tests).
  static void run_once(App& app, bool purge);

 private:
  void loop();

  App& app_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace stork
