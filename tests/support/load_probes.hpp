#pragma once
// For tests under load: many requests released at once, and the memory
// this process holds while they run.

#include <functional>
#include <map>

namespace stork::test {

// Runs attempt(i) for every i in [0, n) on n threads released at once and
// counts the statuses they return (-1 for no response).
std::map<int, int> concurrent_statuses(int n, const std::function<int(int)>& attempt);

// Resident set size of this process, in KiB.
long rss_kib();

}  // namespace stork::test
