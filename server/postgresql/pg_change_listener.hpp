#pragma once
// The change feed of a PostgreSQL database: LISTEN on the channel that the
// triggers of db/postgresql/012 notify, and tell a ChangeSink of each
// change, from a thread of its own on a connection of its own (a pooled
// connection is lent for one call at a time; a listener holds its
// connection for as long as it lives).
//
// It starts not live: feed_live() only once LISTEN has succeeded. When
// the connection fails it calls feed_lost() at once, opens a new one
// (again at once, then after 50 ms, doubling up to 1 s between attempts),
// LISTENs, and calls feed_live() again: notifications sent while no
// connection listened are lost, which is what feed_lost() warns of.

#include "storage/change_sink.hpp"

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>

namespace stork::pg {

class Connection;

// The channel the triggers notify.
inline constexpr const char* kChangeChannel = "stork_changes";

// Tells sink what one payload says: "u<id>" a user, "p<id>" a product,
// anything else (the triggers' "*" included) everything.
void deliver_change(std::string_view payload, ChangeSink& sink);

struct ListenerOptions {
  std::chrono::milliseconds first_retry{50};
  std::chrono::milliseconds longest_retry{1000};
  // How long one step of opening a connection may wait for the server.
  std::chrono::milliseconds connect_timeout{5000};
};

class ChangeListener final : public ChangeFeed {
 public:
  // Starts the thread; returns at once (the first connection is opened on
  // that thread). sink must outlive this object; its calls come from the
  // listener's thread, one at a time, and must not throw.
  ChangeListener(std::string url, ChangeSink& sink, ListenerOptions options = {});
  // Wakes the thread, whatever it waits for, and joins it.
  ~ChangeListener() override;
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

 private:
  void run();
  // Delivers notifications until the connection fails (returns false) or
  // the listener stops (returns true).
  bool listen_on(Connection& conn);
  // Waits until fd is ready (or, fd < 0, only for the timeout) or the
  // listener is told to stop. Returns: 1 ready, 0 timed out, -1 stop.
  int wait(int fd, short events, std::chrono::milliseconds timeout);

  const std::string url_;
  const std::string description_;  // for messages: no password
  ChangeSink& sink_;
  const ListenerOptions options_;
  const int wake_fd_;  // an eventfd, written once by the destructor
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace stork::pg
