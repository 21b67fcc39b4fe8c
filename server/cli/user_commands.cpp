// `stork user list|show|remove|reset-link`: the operator's look at the
// accounts. Removing goes through the same use case as a visitor's own
// "Delete my account".

#include "cli/cli_store.hpp"
#include "cli/cli_support.hpp"
#include "cli/operator_commands.hpp"
#include "cli/table.hpp"
#include "publishers/origin.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace stork {
namespace {

nlohmann::json summary_json(const UserSummary& u) {
  return {{"username", u.username}, {"first", u.first},        {"last", u.last},
          {"disabled", u.disabled}, {"created_at", u.created_at}, {"sessions", u.sessions},
          {"ratings", u.ratings},   {"wishlist", u.wishlist}};
}

int list(const Args& args) {
  CliStore store(args);
  const auto users = store.backend->users().list();
  if (args.has("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& u : users) out.push_back(summary_json(u));
    std::cout << pretty_json(out) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& u : users) {
    rows.push_back({u.username, u.first + " " + u.last, utc_time(u.created_at),
                    u.disabled ? "disabled" : "active", std::to_string(u.sessions),
                    std::to_string(u.ratings), std::to_string(u.wishlist)});
  }
  print_table(std::cout, {"USERNAME", "NAME", "CREATED", "STATE", "SESSIONS", "RATINGS", "WISHLIST"}, rows);
  std::cout << count_of(users.size(), "user", "users") << "\n";
  return 0;
}

int show(const Args& args, const std::string& username) {
  CliStore store(args);
  const auto u = store.backend->users().show(username);
  if (!u) {
    std::cerr << "stork: no user '" << username << "'\n";
    return 1;
  }
  if (args.has("json")) {
    std::cout << pretty_json(summary_json(*u)) << "\n";
    return 0;
  }
  print_table(std::cout, {"FIELD", "VALUE"},
              {{"username", u->username},
               {"name", u->first + " " + u->last},
               {"created", utc_time(u->created_at)},
               {"state", u->disabled ? "disabled" : "active"},
               {"sessions", std::to_string(u->sessions)},
               {"ratings", std::to_string(u->ratings)},
               {"wishlist", std::to_string(u->wishlist)}});
  return 0;
}

int remove(const Args& args, const std::string& username) {
  CliStore store(args);
  const auto user = store.backend->accounts().find(username);
  if (!user || !store.services.accounts.erase(user->id)) {
    std::cerr << "stork: no user '" << username << "'\n";
    return 1;
  }
  if (args.has("json")) {
    std::cout << pretty_json({{"removed", username}}) << "\n";
  } else {
    std::cout << "Removed " << username
              << " with their sessions, ratings and wishlist; the products' ratings no longer count theirs.\n";
  }
  return 0;
}

int reset_link(const Args& args, const std::string& username) {
  const std::string origin_text =
      args.get("public-origin").value_or(env_or("STORK_PUBLIC_ORIGIN", "http://localhost:8080"));
  const auto origin = normalize_origin(origin_text);
  if (!origin) throw UsageError("--public-origin must be an origin like https://widget.example");
  CliStore store(args);
  const auto user = store.backend->accounts().find(username);
  if (!user) {
    std::cerr << "stork: no user '" << username << "'\n";
    return 1;
  }
  // A publisher vouches for this reader; a password would be a second way in.
  if (const auto publisher = store.services.identity.asserted_by(user->id)) {
    std::cerr << "stork: '" << username << "' signs in through publisher " << *publisher
              << " and has no password to reset\n";
    return 1;
  }
  const IssuedResetLink link = store.services.password_reset.issue(*user, store.clock.now());
  const std::string url = reset_link_url(*origin, link.token);
  if (args.has("json")) {
    std::cout << pretty_json({{"username", username}, {"url", url}, {"expires_at", link.expires_at}}) << "\n";
    return 0;
  }
  std::cout << url << "\n";
  std::cerr << "A one-time link for " << username << ", valid until " << utc_time(link.expires_at)
            << " (30 minutes). Any earlier link of this user no longer works. Give it to them\n"
               "over a channel you trust: whoever opens it can set the password.\n";
  return 0;
}

}  // namespace

bool is_user_operator_command(const std::string& action) {
  return action == "list" || action == "show" || action == "remove" || action == "reset-link";
}

int cmd_user_operator(const std::vector<std::string>& argv) {
  const std::string action = argv.at(0);
  const Args args({argv.begin() + 1, argv.end()}, {{"db"}, {"json", false}, {"public-origin"}},
                  action == "list" ? 0 : 1);
  if (args.has("public-origin") && action != "reset-link") throw UsageError("--public-origin goes with reset-link");
  if (action == "list") return list(args);
  if (args.positionals().size() != 1) throw UsageError("give exactly one USERNAME");
  const std::string& username = args.positionals()[0];
  if (action == "show") return show(args, username);
  if (action == "remove") return remove(args, username);
  return reset_link(args, username);
}

}  // namespace stork
