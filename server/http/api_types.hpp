#pragma once
// Request bodies of the JSON API and their decoders. Decoding is plain C++
// (no HTTP), so the decoders are unit-tested and fuzzed on their own.
//
// Error policy: a client's mistake anywhere below a handler is thrown as
// ClientError and answered with its status and a JSON error in one place
// (the route wrapper). Anything else that is thrown is our fault: 500 with
// a generic body, or 503 when the database is busy.

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace stork {

struct ClientError : std::runtime_error {
  ClientError(int status_, std::string code_, const std::string& message)
      : std::runtime_error(message), status(status_), code(std::move(code_)) {}
  int status;
  std::string code;
};

inline constexpr int kMaxJsonDepth = 8;

// Parses a JSON object body; 400 bad_request for anything else, for
// nesting deeper than kMaxJsonDepth, and for invalid UTF-8.
nlohmann::json parse_json_object(std::string_view body);

struct LoginRequest {
  std::string username;
  std::string password;
  bool remember = false;
  bool cookieless = false;
  std::string publisher;   // Stork extension: the publisher key of the widget
  std::string top_origin;  // Stork extension: the top-level page's origin
};
LoginRequest decode_login(std::string_view body);

// POST /api/identity: a publisher's token instead of a password.
struct IdentityRequest {
  std::string token;
  bool remember = false;
  bool cookieless = false;
  std::string publisher;    // the widget's publisher key, as it told us
  std::string top_origin;
  std::string page_origin;  // the origin of the page that passed the token to the widget
};
IdentityRequest decode_identity(std::string_view body);

struct RatingRequest {
  int stars = 0;
};
RatingRequest decode_rating(std::string_view body);

struct PasswordChangeRequest {
  std::string old_password;
  std::string new_password;
};
PasswordChangeRequest decode_password_change(std::string_view body);

// "/products/{id}.json" and "/api/products/{id}/..." ids: 1..18 digits.
std::optional<std::int64_t> parse_id(std::string_view digits);

}  // namespace stork

namespace stork {

// POST /api/signup: the login fields plus the new account's names.
struct SignupRequest {
  LoginRequest login;  // username, password, remember, cookieless, publisher, top_origin
  std::string first;
  std::string last;
};
SignupRequest decode_signup(std::string_view body);

// DELETE /api/account: the password, re-entered.
std::string decode_password_confirmation(std::string_view body);

// POST /api/password-reset (and /check, without "password").
struct PasswordResetRequest {
  std::string token;
  std::string password;
};
PasswordResetRequest decode_password_reset(std::string_view body, bool with_password);

}  // namespace stork
