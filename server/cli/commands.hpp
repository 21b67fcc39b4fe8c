#pragma once
// The `stork` subcommands. Each returns the process exit code:
// 0 success, 1 failure at run time, 2 usage error.

#include <string>
#include <vector>

namespace stork {

int run_cli(const std::vector<std::string>& argv);

}  // namespace stork
