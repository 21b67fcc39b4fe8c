#pragma once
// Schema migrations, generated at build time from the numbered files in db/.

#include <string>
#include <vector>

namespace stork {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// In ascending version order.
const std::vector<Migration>& migrations();

}  // namespace stork
