// Fuzzes the JSON request decoders. A client's mistake must come out as
// ClientError (a 4xx); any other exception or a crash is a bug.

#include "accounts/account_store.hpp"
#include "accounts/password.hpp"
#include "http/api_types.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

template <typename Fn>
void expect_client_error_or_value(Fn&& decode) {
  try {
    decode();
  } catch (const stork::ClientError& e) {
    if (e.status < 400 || e.status > 499) std::abort();
  }
  // Anything else propagates and libFuzzer reports it as a crash.
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  expect_client_error_or_value([&] {
    const stork::LoginRequest r = stork::decode_login(body);
    if (r.username.size() > stork::kMaxUsernameBytes) std::abort();
    if (r.password.size() > stork::kMaxPasswordBytes) std::abort();
    if (r.publisher.size() > 64 || r.top_origin.size() > 255) std::abort();
  });
  expect_client_error_or_value([&] {
    const stork::RatingRequest r = stork::decode_rating(body);
    if (r.stars < 1 || r.stars > 5) std::abort();
  });
  expect_client_error_or_value([&] {
    const stork::PasswordChangeRequest r = stork::decode_password_change(body);
    if (r.old_password.size() > stork::kMaxPasswordBytes) std::abort();
    if (r.new_password.size() > stork::kMaxPasswordBytes) std::abort();
  });
  return 0;
}
