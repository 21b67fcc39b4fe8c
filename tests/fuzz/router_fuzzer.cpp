// Fuzzes what the router and the static-file server decide from a raw
// request line: route classification, ids, relative file paths, origins.
// Input: METHOD '\n' PATH '\n' ORIGIN (missing parts are empty).

#include "http/api_types.hpp"
#include "http/static_files.hpp"
#include "metrics/metrics.hpp"
#include "publishers/origin.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

std::string_view next_part(std::string_view& rest) {
  const auto nl = rest.find('\n');
  const std::string_view part = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const std::string_view method = next_part(rest);
  const std::string_view path = next_part(rest);
  const std::string_view origin = rest;

  const auto route = stork::classify_route(method, path);
  if (static_cast<std::size_t>(route) >= static_cast<std::size_t>(stork::Route::count_)) std::abort();

  if (const auto id = stork::parse_id(path)) {
    // Only 1..18 plain decimal digits, and the value they spell.
    if (*id < 1 || path.size() > 18) std::abort();
    if (std::to_string(*id) != std::string(path.substr(path.find_first_not_of('0')))) std::abort();
  }

  if (stork::is_safe_relative_path(path)) {
    if (path.empty() || path.front() == '/') std::abort();
    if (path.find("..") == 0 || path.find("/..") != std::string_view::npos) std::abort();
    if (path.find('\\') != std::string_view::npos) std::abort();
    if (path.find('\0') != std::string_view::npos) std::abort();
  }

  if (const auto normal = stork::normalize_origin(origin)) {
    if (normal->rfind("http://", 0) != 0 && normal->rfind("https://", 0) != 0) std::abort();
    const auto again = stork::normalize_origin(*normal);
    if (!again || *again != *normal) std::abort();  // normalizing is idempotent
    if (normal->find('/', normal->find("://") + 3) != std::string::npos) std::abort();
    if (normal->find('@') != std::string::npos) std::abort();
    (void)stork::site_of(*normal);
  }
  return 0;
}
