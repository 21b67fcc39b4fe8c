#include "http_client.hpp"

#include <doctest/doctest.h>

namespace stork::test {

std::string Reply::header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::vector<std::string> Reply::all(const std::string& name) const {
  std::vector<std::string> out;
  const auto [from, to] = headers.equal_range(name);
  for (auto it = from; it != to; ++it) out.push_back(it->second);
  return out;
}

nlohmann::json Reply::json() const {
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded()) FAIL("not JSON (status " << status << "): " << body);
  return j;
}

Reply to_reply(const httplib::Result& result, const std::string& what) {
  if (!result) FAIL("no HTTP response for " << what << ": " << httplib::to_string(result.error()));
  Reply r;
  r.status = result->status;
  r.headers = result->headers;
  r.body = result->body;
  return r;
}

httplib::Headers widget_headers(const std::string& cookie, const std::string& csrf) {
  httplib::Headers h{{"Origin", kWidgetOrigin}, {"Sec-Fetch-Site", "same-origin"}};
  if (!cookie.empty()) h.emplace("Cookie", cookie);
  if (!csrf.empty()) h.emplace("X-CSRF-Token", csrf);
  return h;
}

httplib::Headers with(httplib::Headers base, const httplib::Headers& more) {
  base.insert(more.begin(), more.end());
  return base;
}

httplib::Headers sid_cookie(const std::string& token) { return {{"Cookie", "stork_sid=" + token}}; }
httplib::Headers psid_cookie(const std::string& token) { return {{"Cookie", "__Host-stork_psid=" + token}}; }
httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }
httplib::Headers csrf(const std::string& token) { return {{"X-CSRF-Token", token}}; }

httplib::Result post_login(const httplib::Client& cli, const std::string& username, const std::string& password,
                           const httplib::Headers& extra) {
  const nlohmann::json body = {{"username", username}, {"password", password}};
  return const_cast<httplib::Client&>(cli).Post("/api/login", with(widget_headers(), extra), body.dump(),
                                                "application/json");
}

std::optional<Login> login(const httplib::Client& cli, const std::string& username, const std::string& password) {
  const auto res = post_login(cli, username, password);
  if (!res || res->status != 200) return std::nullopt;
  Login out;
  out.reply = to_reply(res, "POST /api/login");
  out.token = set_cookie_value(*res, "stork_sid");
  if (out.token.empty()) return std::nullopt;
  out.csrf = nlohmann::json::parse(res->body).at("csrf").get<std::string>();
  return out;
}

std::string cookie_value(const std::string& set_cookie, const std::string& name) {
  const std::string prefix = name + "=";
  if (set_cookie.rfind(prefix, 0) != 0) return {};
  const auto end = set_cookie.find(';');
  return set_cookie.substr(prefix.size(), end == std::string::npos ? end : end - prefix.size());
}

std::optional<std::string> set_cookie_line(const httplib::Response& res, const std::string& name) {
  const auto [from, to] = res.headers.equal_range("Set-Cookie");
  for (auto it = from; it != to; ++it) {
    if (it->second.rfind(name + "=", 0) == 0) return it->second;
  }
  return std::nullopt;
}

std::string set_cookie_value(const httplib::Response& res, const std::string& name) {
  const auto line = set_cookie_line(res, name);
  return line ? cookie_value(*line, name) : std::string();
}

}  // namespace stork::test
