// `stork publisher add|list|show|remove` and `stork publisher origin
// add|remove`: the operator's hand on who may frame the widget and read
// the product JSON. Every write goes through PublisherStore, whose change
// counter tells every running server at once (see PublisherDirectory).

#include "cli/publisher_key_command.hpp"
#include "cli/cli_store.hpp"
#include "cli/cli_support.hpp"
#include "cli/operator_commands.hpp"
#include "cli/table.hpp"
#include "publishers/origin.hpp"
#include "publishers/publishers.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace stork {
namespace {

constexpr const char* kPublisherHelp =
    "usage: stork publisher add KEY [--name NAME] --origin ORIGIN [--origin ORIGIN...] --db PATH\n"
    "       stork publisher list|show KEY|remove KEY [--json] --db PATH\n"
    "       stork publisher origin add|remove KEY ORIGIN [--json] --db PATH\n"
    "\n"
    "  add      registers a publisher (KEY: 1-64 of a-z, 0-9, '-'), or adds origins to one;\n"
    "           --name is what readers are told (default: the key), up to 100 characters\n"
    "  list     every publisher with its origins\n"
    "  show     one publisher\n"
    "  remove   removes a publisher and its origins: no page may frame its widget any more\n"
    "  origin   adds or removes one origin (scheme://host[:port]) of a publisher\n"
    "\n"
    "Running servers follow every change within a second. --json prints JSON for scripts.\n";

// The publishers of the backend --db names, with its errors turned into
// StoreBusy / StoreError for run_cli to report.
template <typename Fn>
int with_store(const Args& args, Fn&& fn) {
  CliStore store(args);
  int status = 1;
  store.backend->translate_errors([&] { status = fn(store.backend->publishers()); });
  return status;
}

std::string checked_key(const std::string& key) {
  if (const auto why = publisher_key_violation(key); !why.empty()) throw UsageError(why);
  return key;
}

std::string checked_origin(const std::string& text) {
  const auto origin = normalize_origin(text);
  if (!origin) throw UsageError("'" + text + "' is not an origin (scheme://host[:port])");
  return *origin;
}

int no_publisher(const std::string& key) {
  std::cerr << "stork: no publisher '" << key << "'\n";
  return 1;
}

nlohmann::json publisher_json(const Publisher& p) {
  return {{"key", p.key}, {"name", p.display_name}, {"origins", p.origins}, {"created_at", p.created_at}};
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

int add(const Args& args) {
  if (args.positionals().size() != 2) throw UsageError("give exactly one publisher KEY");
  const std::string key = checked_key(args.positionals()[1]);
  const auto name = args.get("name");
  if (name) {
    if (const auto why = publisher_name_violation(*name); !why.empty()) throw UsageError("--name: " + why);
  }
  std::vector<std::string> origins;
  for (const std::string& o : args.all("origin")) origins.push_back(checked_origin(o));
  if (origins.empty()) throw UsageError("give at least one --origin");
  return with_store(args, [&](PublisherStore& store) {
    const bool created = store.add(key, name, origins, unix_now());
    const auto publisher = store.find(key);
    if (!publisher) return no_publisher(key);  // removed by someone else meanwhile
    if (args.has("json")) {
      nlohmann::json out = publisher_json(*publisher);
      out["created"] = created;
      std::cout << pretty_json(out) << "\n";
      return 0;
    }
    std::cout << (created ? "Registered " : "Updated ") << "publisher " << key << " ("
              << publisher->display_name << "). It may embed the widget from: "
              << joined(publisher->origins) << "\n";
    return 0;
  });
}

int list(const Args& args) {
  return with_store(args, [&](PublisherStore& store) {
    const auto publishers = store.list();
    if (args.has("json")) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& p : publishers) out.push_back(publisher_json(p));
      std::cout << pretty_json(out) << "\n";
      return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : publishers) {
      rows.push_back({p.key, p.display_name, utc_time(p.created_at),
                      p.origins.empty() ? "(none: nobody may frame it)" : joined(p.origins)});
    }
    print_table(std::cout, {"KEY", "NAME", "CREATED", "ORIGINS"}, rows);
    std::cout << count_of(publishers.size(), "publisher", "publishers") << "\n";
    return 0;
  });
}

int show(const Args& args, const std::string& key) {
  return with_store(args, [&](PublisherStore& store) {
    const auto p = store.find(key);
    if (!p) return no_publisher(key);
    if (args.has("json")) {
      std::cout << pretty_json(publisher_json(*p)) << "\n";
      return 0;
    }
    std::vector<std::vector<std::string>> rows = {
        {"key", p->key}, {"name", p->display_name}, {"created", utc_time(p->created_at)}};
    // One origin per line, so that a long list stays readable.
    for (std::size_t i = 0; i < p->origins.size(); ++i) rows.push_back({i == 0 ? "origins" : "", p->origins[i]});
    if (p->origins.empty()) rows.push_back({"origins", "(none: nobody may frame its widget)"});
    print_table(std::cout, {"FIELD", "VALUE"}, rows);
    return 0;
  });
}

int remove(const Args& args, const std::string& key) {
  return with_store(args, [&](PublisherStore& store) {
    if (!store.remove(key)) return no_publisher(key);
    if (args.has("json")) {
      std::cout << pretty_json({{"removed", key}}) << "\n";
    } else {
      std::cout << "Removed publisher " << key
                << " and its origins: no page may frame its widget or read the product JSON\n"
                   "on its behalf any more (running servers follow within a second).\n";
    }
    return 0;
  });
}

int origin(const Args& args) {
  const auto& words = args.positionals();
  if (words.size() != 4 || (words[1] != "add" && words[1] != "remove")) {
    throw UsageError("usage: stork publisher origin add|remove KEY ORIGIN");
  }
  const bool adding = words[1] == "add";
  const std::string key = checked_key(words[2]);
  const std::string origin = checked_origin(words[3]);
  return with_store(args, [&](PublisherStore& store) {
    const OriginChange change = adding ? store.add_origin(key, origin) : store.remove_origin(key, origin);
    if (change == OriginChange::no_publisher) return no_publisher(key);
    if (change == OriginChange::unchanged && !adding) {
      std::cerr << "stork: publisher '" << key << "' has no origin '" << origin << "'\n";
      return 1;
    }
    if (args.has("json")) {
      std::cout << pretty_json({{"key", key},
                              {"origin", origin},
                              {adding ? "added" : "removed", change == OriginChange::changed}})
                << "\n";
      return 0;
    }
    if (change == OriginChange::unchanged) {
      std::cout << "Publisher " << key << " already has the origin " << origin << ".\n";
    } else if (adding) {
      std::cout << "Publisher " << key << " may now embed the widget from " << origin
                << " (running servers follow within a second).\n";
    } else {
      std::cout << "Removed the origin " << origin << " of publisher " << key
                << ": it may no longer frame the widget or read the product JSON\n"
                   "(running servers follow within a second).\n";
    }
    return 0;
  });
}

}  // namespace

int cmd_publisher(const std::vector<std::string>& argv) {
  // Keys take flags of their own (--alg, --public-key, --kid).
  if (!argv.empty() && argv[0] == "key") return cmd_publisher_key({argv.begin() + 1, argv.end()});
  // The action words are positionals, so that flags may come anywhere.
  const Args args(argv, {{"db"}, {"json", false}, {"name"}, {"origin", true, true}}, 4);
  if (args.help() || args.positionals().empty()) {
    std::cout << kPublisherHelp;
    return args.help() ? 0 : 2;
  }
  const std::string action = args.positionals()[0];
  if (args.has("name") && action != "add") throw UsageError("--name goes with 'publisher add'");
  if (args.has("origin") && action != "add") throw UsageError("--origin goes with 'publisher add'");
  if (action == "add") return add(args);
  if (action == "origin") return origin(args);
  if (action == "list") {
    if (args.positionals().size() != 1) throw UsageError("'publisher list' takes no argument");
    return list(args);
  }
  if (action != "show" && action != "remove") throw UsageError("unknown publisher command '" + action + "'");
  if (args.positionals().size() != 2) throw UsageError("give exactly one publisher KEY");
  const std::string key = checked_key(args.positionals()[1]);
  return action == "show" ? show(args, key) : remove(args, key);
}

}  // namespace stork
