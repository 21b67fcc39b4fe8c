#pragma once
// A small, strict command-line parser: known flags only, each with or
// without a value, repeatable where allowed. Mistakes raise UsageError
// (exit code 2).

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace stork {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct FlagSpec {
  std::string name;        // without the leading "--"
  bool takes_value = true;
  bool repeatable = false;
};

class Args {
 public:
  // argv after the command words. Throws UsageError.
  Args(const std::vector<std::string>& argv, const std::vector<FlagSpec>& flags,
       std::size_t max_positionals);

  bool has(const std::string& flag) const { return values_.count(flag) > 0; }
  std::optional<std::string> get(const std::string& flag) const;
  std::vector<std::string> all(const std::string& flag) const;
  const std::vector<std::string>& positionals() const { return positionals_; }
  bool help() const { return help_; }

  // Parses a flag's value as a positive integer within [min, max].
  std::optional<long> integer(const std::string& flag, long min, long max) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
  bool help_ = false;
};

}  // namespace stork
