#pragma once
// The operator's subcommands beyond serving: the catalog (`stork product
// ...`), and listing, showing and removing users and publishers. Each
// returns the exit code: 0 success, 1 failure at run time, 2 usage error
// (thrown as UsageError).

#include <string>
#include <vector>

namespace stork {

int cmd_product(const std::vector<std::string>& argv);

}  // namespace stork

namespace stork {

// user list|show|remove|reset-link (argv starts with the action).
bool is_user_operator_command(const std::string& action);
int cmd_user_operator(const std::vector<std::string>& argv);

// publisher add|list|show|remove|origin (argv starts with the action).
int cmd_publisher(const std::vector<std::string>& argv);

}  // namespace stork
