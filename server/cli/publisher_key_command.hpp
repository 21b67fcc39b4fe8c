#pragma once
// `stork publisher key add|list|remove`: the keys a publisher signs
// identity tokens with (identity/publisher_key.hpp). Returns the exit code
// (0 success, 1 failure at run time; usage errors throw UsageError).

#include <string>
#include <vector>

namespace stork {

// argv after "publisher key".
int cmd_publisher_key(const std::vector<std::string>& argv);

}  // namespace stork
