#pragma once
// Small pieces every `stork` subcommand shares.

#include "cli/args.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace stork {

// --db, else STORK_DB, else ./var/stork.db.
std::string db_path(const Args& args);

// The value of an environment variable, or fallback when unset or empty.
const char* env_or(const char* name, const char* fallback);

// "1 product" / "3 products".
std::string count_of(std::size_t n, const char* one, const char* many);

// JSON for --json output: indented, invalid UTF-8 replaced rather than thrown on.
std::string pretty_json(const nlohmann::json& j);

}  // namespace stork
