#include "load_probes.hpp"

#include <cstdlib>
#include <fstream>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace stork::test {

std::map<int, int> concurrent_statuses(int n, const std::function<int(int)>& attempt) {
  std::map<int, int> counts;
  std::mutex counts_mutex;
  std::latch start(n);
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      const int status = attempt(i);
      std::lock_guard lock(counts_mutex);
      ++counts[status];
    });
  }
  for (auto& t : threads) t.join();
  return counts;
}

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return -1;
}

}  // namespace stork::test
