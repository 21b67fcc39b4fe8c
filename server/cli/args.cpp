#include "cli/args.hpp"

#include <algorithm>

namespace stork {

Args::Args(const std::vector<std::string>& argv, const std::vector<FlagSpec>& flags,
           std::size_t max_positionals) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (word == "--help" || word == "-h") {
      help_ = true;
      continue;
    }
    if (word.rfind("--", 0) != 0) {
      if (positionals_.size() >= max_positionals) throw UsageError("unexpected argument '" + word + "'");
      positionals_.push_back(word);
      continue;
    }
    std::string name = word.substr(2);
    std::optional<std::string> inline_value;
    if (const auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const auto spec = std::find_if(flags.begin(), flags.end(), [&](const FlagSpec& f) { return f.name == name; });
    if (spec == flags.end()) throw UsageError("unknown flag '--" + name + "'");
    if (!spec->repeatable && values_.count(name)) throw UsageError("'--" + name + "' given twice");
    if (!spec->takes_value) {
      if (inline_value) throw UsageError("'--" + name + "' takes no value");
      values_[name].push_back("");
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= argv.size()) throw UsageError("'--" + name + "' needs a value");
      inline_value = argv[++i];
    }
    values_[name].push_back(*inline_value);
  }
}

std::optional<std::string> Args::get(const std::string& flag) const {
  const auto it = values_.find(flag);
  if (it == values_.end()) return std::nullopt;
  return it->second.front();
}

std::vector<std::string> Args::all(const std::string& flag) const {
  const auto it = values_.find(flag);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::optional<long> Args::integer(const std::string& flag, long min, long max) const {
  const auto value = get(flag);
  if (!value) return std::nullopt;
  const bool digits = !value->empty() && value->size() <= 9 &&
                      std::all_of(value->begin(), value->end(), ::isdigit);
  const long n = digits ? std::stol(*value) : -1;
  if (n < min || n > max) {
    throw UsageError("'--" + flag + "' must be a number from " + std::to_string(min) + " to " +
                     std::to_string(max));
  }
  return n;
}

}  // namespace stork
