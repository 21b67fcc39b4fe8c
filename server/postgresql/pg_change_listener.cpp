#include "postgresql/pg_change_listener.hpp"

#include "postgresql/pg_connection.hpp"
#include "postgresql/pg_database.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <iostream>
#include <memory>
#include <system_error>

namespace stork::pg {
namespace {

int make_wake_fd() {
  const int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  return fd;
}

// The id after the one-letter prefix: digits only, and it must fit.
bool parse_id(std::string_view digits, std::int64_t& id) {
  if (digits.empty()) return false;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  return ec == std::errc() && end == digits.data() + digits.size() && id >= 0;
}

}  // namespace

void deliver_change(std::string_view payload, ChangeSink& sink) {
  std::int64_t id = 0;
  if (payload.size() > 1 && parse_id(payload.substr(1), id)) {
    if (payload[0] == 'u') return sink.user_changed(id);
    if (payload[0] == 'p') return sink.product_changed(id);
  }
  // "*", or a message this version does not know: forgetting everything
  // is always correct, only slower.
  sink.everything_changed();
}

ChangeListener::ChangeListener(std::string url, ChangeSink& sink, ListenerOptions options)
    : url_(std::move(url)),
      description_(describe_url(url_)),
      sink_(sink),
      options_(options),
      wake_fd_(make_wake_fd()) {
  thread_ = std::thread([this] { run(); });
}

ChangeListener::~ChangeListener() {
  stopping_ = true;
  const std::uint64_t one = 1;
  // Cannot fail short of a counter overflow: written once.
  [[maybe_unused]] const auto written = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(wake_fd_);
}

int ChangeListener::wait(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {fd, events, 0}};
  const int count = fd >= 0 ? 2 : 1;
  for (;;) {
    const int n = ::poll(fds, count, static_cast<int>(timeout.count()));
    if (n < 0 && errno == EINTR) continue;  // timeout restarts: only a bound, not a deadline
    if (stopping_ || (fds[0].revents & POLLIN)) return -1;
    if (n < 0) return 0;  // treated as a time-out: the caller retries
    return n > 0 ? 1 : 0;
  }
}

void ChangeListener::run() {
  auto retry = options_.first_retry;
  bool lost_reported = false;  // one message per outage, not per attempt
  bool first_attempt_after_loss = true;
  while (!stopping_) {
    std::unique_ptr<Connection> conn;
    try {
      conn = std::make_unique<Connection>(url_, [this](int socket, bool write) {
        return wait(socket, write ? POLLOUT : POLLIN, options_.connect_timeout) == 1;
      });
      conn->exec(std::string("LISTEN ") + kChangeChannel);
    } catch (const Failure& f) {
      if (stopping_) return;
      if (!lost_reported) {
        std::cerr << "stork: change feed: cannot listen on " << description_ << " (" << f.what()
                  << "); trying again\n";
        lost_reported = true;
      }
      // Once at once (a backend that was ended is replaced in
      // milliseconds), then backing off, up to longest_retry.
      if (!first_attempt_after_loss) {
        if (wait(-1, 0, retry) < 0) return;
        retry = std::min(retry * 2, options_.longest_retry);
      }
      first_attempt_after_loss = false;
      continue;
    }
    if (lost_reported) std::cerr << "stork: change feed: listening again on " << description_ << "\n";
    lost_reported = false;
    retry = options_.first_retry;
    sink_.feed_live();
    if (listen_on(*conn)) return;
    // Before anything else: from now on changes may go unheard.
    sink_.feed_lost();
    std::cerr << "stork: change feed: connection to " << description_ << " lost; reconnecting\n";
    lost_reported = true;
    first_attempt_after_loss = true;
  }
}

bool ChangeListener::listen_on(Connection& conn) {
  for (;;) {
    // First what arrived already (also during LISTEN itself).
    while (const auto payload = conn.take_notification()) deliver_change(*payload, sink_);
    if (conn.socket() < 0) return false;  // poll() would ignore it, and wait for ever
    const int ready = wait(conn.socket(), POLLIN, std::chrono::milliseconds(-1));
    if (ready < 0) return true;
    if (!conn.consume_input()) return false;
  }
}

}  // namespace stork::pg
