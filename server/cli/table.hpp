#pragma once
// A plain text table for operators: a header row, columns padded to their
// widest cell (counted in characters, so names in any script line up).

#include <iosfwd>
#include <string>
#include <vector>

namespace stork {

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

// "2026-12-02 04:16 UTC" for Unix seconds.
std::string utc_time(long long unix_seconds);

}  // namespace stork
