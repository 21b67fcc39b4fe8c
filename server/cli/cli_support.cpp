#include "cli/cli_support.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>

namespace stork {

const char* env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

std::string db_path(const Args& args) {
  return args.get("db").value_or(env_or("STORK_DB", "./var/stork.db"));
}

std::string count_of(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string pretty_json(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace stork
