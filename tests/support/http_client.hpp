#pragma once
// Speaking HTTP to a test server the way the widget does: its headers, its
// cookies, a login, and a reply kept as a value.

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace stork::test {

// The origin the widget is served from; test servers are configured with it.
inline const std::string kWidgetOrigin = "https://widget.test";

// One response as a value; a test fails at once when none came.
struct Reply {
  int status = 0;
  httplib::Headers headers;
  std::string body;

  std::string header(const std::string& name) const;
  bool has_header(const std::string& name) const { return headers.count(name) > 0; }
  std::vector<std::string> all(const std::string& name) const;
  nlohmann::json json() const;
};
Reply to_reply(const httplib::Result& result, const std::string& what);

// Headers a same-origin fetch from the widget's own page sends, with a
// Cookie and an X-CSRF-Token when given.
httplib::Headers widget_headers(const std::string& cookie = {}, const std::string& csrf = {});
httplib::Headers with(httplib::Headers base, const httplib::Headers& more);
httplib::Headers sid_cookie(const std::string& token);
httplib::Headers psid_cookie(const std::string& token);
httplib::Headers bearer(const std::string& token);
httplib::Headers csrf(const std::string& token);

struct Login {
  Reply reply;
  std::string token;  // from Set-Cookie (or the body, cookieless)
  std::string csrf;
  std::string cookie() const { return "stork_sid=" + token; }
};

// One POST /api/login with the widget's headers plus `extra`; the result as
// it came. httplib sends through a non-const client; tests hand in
// temporaries (server.client()), hence the const reference.
httplib::Result post_login(const httplib::Client& cli, const std::string& username, const std::string& password,
                           const httplib::Headers& extra = {});
// A login through cli; nullopt unless 200 with a session cookie.
std::optional<Login> login(const httplib::Client& cli, const std::string& username, const std::string& password);

// The value of `name=` in a Set-Cookie line, or "" if the line is not for name.
std::string cookie_value(const std::string& set_cookie, const std::string& name);
// The Set-Cookie line of cookie `name` in a response, if set.
std::optional<std::string> set_cookie_line(const httplib::Response& res, const std::string& name);
// Just the value of that cookie ("" when not set).
std::string set_cookie_value(const httplib::Response& res, const std::string& name);

}  // namespace stork::test
