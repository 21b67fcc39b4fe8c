#include "publishers/publishers.hpp"

#include "storage/errors.hpp"
#include "text.hpp"

#include <iostream>

namespace stork {

PublisherDirectory::PublisherDirectory(PublisherStore& store, std::chrono::milliseconds check_interval,
                                       SteadyClock clock)
    : store_(store), interval_(check_interval), clock_(std::move(clock)) {
  next_check_ = (clock_() + interval_).time_since_epoch().count();
  check();
}

void PublisherDirectory::check() const {
  const std::lock_guard one_check(check_mutex_);
  // The version first: a list read after it is at least as new, so a
  // change committed in between is read again at the next check, never
  // missed.
  const std::int64_t version = store_.version();
  const auto known = snapshot_.load();
  if (known && known->version == version) return;
  auto fresh = std::make_shared<Snapshot>();
  fresh->version = version;
  for (Publisher& p : store_.list()) {
    for (const std::string& origin : p.origins) fresh->key_by_origin.emplace(origin, p.key);
    std::string key = p.key;
    fresh->by_key.emplace(std::move(key), std::move(p));
  }
  snapshot_.store(std::move(fresh));
}

std::shared_ptr<const PublisherDirectory::Snapshot> PublisherDirectory::current() const {
  const auto now = clock_().time_since_epoch().count();
  auto due = next_check_.load(std::memory_order_relaxed);
  if (now >= due &&
      next_check_.compare_exchange_strong(due, now + interval_.count(), std::memory_order_relaxed)) {
    try {
      check();
      if (failing_.exchange(false)) std::cerr << "stork: publishers: the store answers again\n";
    } catch (const std::exception& e) {
      if (!failing_.exchange(true)) {
        std::cerr << "stork: publishers: cannot check for changes (" << e.what()
                  << "); serving the last known list until the store answers\n";
      }
    }
  }
  return snapshot_.load();
}

void PublisherDirectory::refresh() {
  check();
  next_check_ = (clock_() + interval_).time_since_epoch().count();
}

std::optional<Publisher> PublisherDirectory::find(const std::string& key) const {
  const auto snap = current();
  const auto found = snap->by_key.find(key);
  if (found == snap->by_key.end()) return std::nullopt;
  return found->second;
}

std::optional<std::string> PublisherDirectory::key_for_origin(const std::string& origin) const {
  const auto snap = current();
  const auto found = snap->key_by_origin.find(origin);
  if (found == snap->key_by_origin.end()) return std::nullopt;
  return found->second;
}

std::string frame_ancestors(const std::optional<Publisher>& publisher) {
  if (!publisher || publisher->origins.empty()) return "frame-ancestors 'none'";
  std::string out = "frame-ancestors";
  for (const std::string& origin : publisher->origins) out.append(" ").append(origin);
  return out;
}

std::string publisher_key_violation(std::string_view key) {
  if (key.empty() || key.size() > 64) return "A publisher key has 1 to 64 characters.";
  for (const char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return "Use only a-z, 0-9 and '-' in a publisher key.";
    }
  }
  return {};
}

std::string publisher_name_violation(std::string_view name) {
  const auto chars = utf8_chars(name);
  if (!chars) return "A publisher name is UTF-8 text.";
  if (*chars < 1 || *chars > 100) return "A publisher name has 1 to 100 characters.";
  if (has_control_chars(name)) return "A publisher name has no control characters (line breaks, tabs).";
  if (name.find_first_not_of(' ') == std::string_view::npos) return "A publisher name is more than spaces.";
  return {};
}

}  // namespace stork
