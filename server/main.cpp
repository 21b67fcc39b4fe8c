#include "cli/commands.hpp"

#include <malloc.h>

int main(int argc, char** argv) {
  // No fastbins. cpp-httplib allocates a 4 KiB buffer for every request;
  // a request that large makes glibc consolidate the fastbins first, which
  // cost several percent of the server's CPU on the product read. Small
  // blocks still come from the per-thread cache (tcache). With this, server
  // CPU per personalized read fell by 15-20 % (bench/README.md).
  mallopt(M_MXFAST, 0);
  return stork::run_cli(std::vector<std::string>(argv + 1, argv + argc));
}
