#pragma once
// When a session is alive, when it must be touched, when it ends. Pure
// functions of a session and a time: the server enforces these whatever
// the cookie's own lifetime says.

#include "sessions/session.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

namespace stork {

// Shorter idle timeouts cannot be honoured: timestamps have a precision of
// one second, and a session must survive a second or two between requests.
inline constexpr std::int64_t kMinIdleSeconds = 10;

struct SessionPolicy {
  std::int64_t idle_seconds = 30 * 60;
  std::int64_t absolute_seconds_remember = 7 * 24 * 3600;
  std::int64_t absolute_seconds_browser = 12 * 3600;
  // last_seen_at is written at most every touch_interval() per session, so
  // that reads stay reads: a tenth of the idle timeout, and never more than
  // this. A session used at least every (idle timeout - interval - 1 s)
  // stays alive: the extra second is the precision of the timestamps.
  std::int64_t touch_interval_seconds = 60;
  // Access tokens of sign-ins kept by a refresh token (script-readable
  // storage) are good for this long; the refresh token gets the next one.
  std::int64_t access_token_seconds = 10 * 60;
  // Oldest sessions of a user are ended beyond this many.
  std::size_t max_sessions_per_user = 20;

  UnixSeconds absolute_expiry(UnixSeconds created_at, bool remember) const {
    return created_at + (remember ? absolute_seconds_remember : absolute_seconds_browser);
  }
  UnixSeconds idle_expiry(const Session& s) const { return s.last_seen_at + idle_seconds; }
  UnixSeconds expires_at(const Session& s) const {
    const UnixSeconds idle = idle_expiry(s);
    return idle < s.absolute_expires_at ? idle : s.absolute_expires_at;
  }
  bool is_live(const Session& s, UnixSeconds now) const { return now < expires_at(s); }
  // Whether the session's token itself is still accepted.
  bool token_is_live(const Session& s, UnixSeconds now) const {
    return s.token_expires_at == 0 || now < s.token_expires_at;
  }
  // A new access token's expiry: short, and never past the session's end.
  UnixSeconds access_token_expiry(const Session& s, UnixSeconds now) const {
    const UnixSeconds short_lived = now + access_token_seconds;
    return short_lived < s.absolute_expires_at ? short_lived : s.absolute_expires_at;
  }
  std::int64_t touch_interval() const {
    return std::clamp<std::int64_t>(idle_seconds / 10, 1, touch_interval_seconds);
  }
  bool needs_touch(const Session& s, UnixSeconds now) const {
    return now - s.last_seen_at >= touch_interval();
  }
  // The cookie's Max-Age: only persistent (remember) sessions get one.
  std::optional<std::int64_t> cookie_max_age(bool remember) const {
    if (!remember) return std::nullopt;
    return absolute_seconds_remember;
  }
};

}  // namespace stork
