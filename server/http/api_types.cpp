#include "http/api_types.hpp"

#include "accounts/account_store.hpp"
#include "accounts/password.hpp"

namespace stork {
namespace {

[[noreturn]] void bad_request(const std::string& message) {
  throw ClientError(400, "bad_request", message);
}

const nlohmann::json* field(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string string_field(const nlohmann::json& object, const char* name, std::size_t max_bytes,
                         bool required) {
  const nlohmann::json* value = field(object, name);
  if (!value) {
    if (required) bad_request(std::string("\"") + name + "\" is required.");
    return {};
  }
  if (!value->is_string()) bad_request(std::string("\"") + name + "\" must be a string.");
  const auto& s = value->get_ref<const std::string&>();
  if (s.size() > max_bytes) {
    bad_request(std::string("\"") + name + "\" is longer than " + std::to_string(max_bytes) +
                " bytes.");
  }
  return s;
}

bool bool_field(const nlohmann::json& object, const char* name) {
  const nlohmann::json* value = field(object, name);
  if (!value) return false;
  if (!value->is_boolean()) bad_request(std::string("\"") + name + "\" must be true or false.");
  return value->get<bool>();
}

}  // namespace

nlohmann::json parse_json_object(std::string_view body) {
  if (body.empty()) bad_request("The request body must be a JSON object.");
  const auto limit_depth = [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > kMaxJsonDepth) bad_request("The JSON is nested too deeply.");
    return true;
  };
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(body.begin(), body.end(), limit_depth);
  } catch (const nlohmann::json::exception&) {
    bad_request("The request body is not valid JSON.");
  }
  if (!j.is_object()) bad_request("The request body must be a JSON object.");
  return j;
}

LoginRequest decode_login(std::string_view body) {
  const nlohmann::json j = parse_json_object(body);
  LoginRequest r;
  r.username = string_field(j, "username", kMaxUsernameBytes, true);
  r.password = string_field(j, "password", kMaxPasswordBytes, true);
  r.remember = bool_field(j, "remember");
  r.cookieless = bool_field(j, "cookieless");
  r.publisher = string_field(j, "publisher", 64, false);
  r.top_origin = string_field(j, "top_origin", 255, false);
  return r;
}

IdentityRequest decode_identity(std::string_view body) {
  const nlohmann::json j = parse_json_object(body);
  IdentityRequest r;
  // Longer than a token may be is the verifier's refusal (401 malformed),
  // so the publisher's developer reads one kind of answer for any token.
  r.token = string_field(j, "token", 65536, true);
  r.remember = bool_field(j, "remember");
  r.cookieless = bool_field(j, "cookieless");
  r.publisher = string_field(j, "publisher", 64, false);
  r.top_origin = string_field(j, "top_origin", 255, false);
  r.page_origin = string_field(j, "page_origin", 255, false);
  return r;
}

RatingRequest decode_rating(std::string_view body) {
  const nlohmann::json j = parse_json_object(body);
  const nlohmann::json* stars = field(j, "stars");
  if (!stars || !stars->is_number_integer()) bad_request("\"stars\" must be an integer from 1 to 5.");
  const auto value = stars->get<std::int64_t>();
  if (value < 1 || value > 5) bad_request("\"stars\" must be an integer from 1 to 5.");
  return RatingRequest{static_cast<int>(value)};
}

PasswordChangeRequest decode_password_change(std::string_view body) {
  const nlohmann::json j = parse_json_object(body);
  PasswordChangeRequest r;
  r.old_password = string_field(j, "old_password", kMaxPasswordBytes, true);
  r.new_password = string_field(j, "new_password", kMaxPasswordBytes, true);
  return r;
}

std::optional<std::int64_t> parse_id(std::string_view digits) {
  if (digits.empty() || digits.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value == 0) return std::nullopt;
  return value;
}

}  // namespace stork

namespace stork {

SignupRequest decode_signup(std::string_view body) {
  const nlohmann::json j = parse_json_object(body);
  SignupRequest r;
  r.login.username = string_field(j, "username", kMaxUsernameBytes, true);
  r.login.password = string_field(j, "password", kMaxPasswordBytes, true);
  r.login.remember = bool_field(j, "remember");
  r.login.cookieless = bool_field(j, "cookieless");
  r.login.publisher = string_field(j, "publisher", 64, false);
  r.login.top_origin = string_field(j, "top_origin", 255, false);
  // Up to 100 characters of up to 4 bytes each; the sign-up policy counts
  // characters.
  r.first = string_field(j, "first", 400, true);
  r.last = string_field(j, "last", 400, true);
  return r;
}

std::string decode_password_confirmation(std::string_view body) {
  return string_field(parse_json_object(body), "password", kMaxPasswordBytes, true);
}

PasswordResetRequest decode_password_reset(std::string_view body, bool with_password) {
  const nlohmann::json j = parse_json_object(body);
  PasswordResetRequest r;
  r.token = string_field(j, "token", 128, true);
  if (with_password) r.password = string_field(j, "password", kMaxPasswordBytes, true);
  return r;
}

}  // namespace stork
