#include "cli/commands.hpp"

int main(int argc, char** argv) {
  return stork::run_cli(std::vector<std::string>(argv + 1, argv + argc));
}
