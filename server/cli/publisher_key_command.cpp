#include "cli/publisher_key_command.hpp"

#include "cli/cli_support.hpp"
#include "cli/table.hpp"
#include "cli/cli_store.hpp"
#include "publishers/publishers.hpp"
#include "sessions/token.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace stork {
namespace {

constexpr const char* kUsage =
    "usage: stork publisher key add KEY --alg ES256 --public-key FILE [--kid KID] --db PATH\n"
    "       stork publisher key add KEY --alg HS256 [--kid KID] --db PATH\n"
    "       stork publisher key list [KEY] [--json] --db PATH\n"
    "       stork publisher key remove KID --db PATH\n"
    "\n"
    "  ES256 (preferred): FILE holds the publisher's P-256 public key, PEM or JWK;\n"
    "        Stork keeps nothing that can sign.\n"
    "  HS256: Stork makes a 256-bit secret and prints it once; the publisher signs\n"
    "        with that text as the HMAC key.\n"
    "  --kid  the key id tokens name in their header (default: the JWK's kid, else\n"
    "         KEY-<8 hex digits>). Several keys of a publisher may be active at once.\n";

constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;

std::optional<std::string> read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text(kMaxKeyFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxKeyFileBytes) return std::nullopt;
  return text;
}

int add(const std::vector<std::string>& argv) {
  const Args args(argv, {{"db"}, {"alg"}, {"public-key"}, {"kid"}}, 1);
  if (args.help()) {
    std::cout << kUsage;
    return 0;
  }
  if (args.positionals().size() != 1) throw UsageError("give exactly one publisher KEY");
  PublisherKey key;
  key.publisher = args.positionals()[0];
  if (const auto why = publisher_key_violation(key.publisher); !why.empty()) throw UsageError(why);
  const auto alg = parse_alg(args.get("alg").value_or(""));
  if (!alg) throw UsageError("--alg must be ES256 or HS256");
  key.alg = *alg;
  std::string jwk_kid;
  if (key.alg == JwsAlg::es256) {
    const auto file = args.get("public-key");
    if (!file) throw UsageError("--alg ES256 needs --public-key FILE (PEM or JWK)");
    const auto text = read_small_file(*file);
    if (!text) {
      std::cerr << "stork: cannot read " << *file << " (or it is over 64 KiB)\n";
      return 1;
    }
    auto read = read_es256_public_key(*text);
    if (const auto* error = std::get_if<std::string>(&read)) {
      std::cerr << "stork: " << *file << ": " << *error << "\n";
      return 1;
    }
    key.material = std::get<Es256Key>(read).spki_pem;
    jwk_kid = std::get<Es256Key>(read).jwk_kid;
  } else {
    if (args.has("public-key")) throw UsageError("--public-key is for ES256; HS256 keys are made by Stork");
    key.material = new_hs256_secret();
  }
  key.kid = args.get("kid").value_or(jwk_kid.empty() ? key.publisher + "-" + random_hex(4) : jwk_kid);
  if (const auto why = kid_violation(key.kid); !why.empty()) throw UsageError("--kid: " + why);
  CliStore store(args);
  key.created_at = store.clock.now();
  KeyAdded added = KeyAdded::added;
  store.backend->translate_errors([&] { added = store.backend->identity().add_key(key); });
  switch (added) {
    case KeyAdded::no_such_publisher:
      std::cerr << "stork: no publisher '" << key.publisher << "' (add it with stork publisher add)\n";
      return 1;
    case KeyAdded::kid_taken:
      std::cerr << "stork: the kid '" << key.kid << "' is taken; choose another with --kid\n";
      return 1;
    case KeyAdded::added:
      break;
  }
  std::cout << "Added " << alg_name(key.alg) << " key " << key.kid << " for publisher " << key.publisher
            << ".\n";
  if (key.alg == JwsAlg::hs256) {
    // Shown this once only: `key list` never prints it.
    std::cout << "Secret (shown once; keep it on your backend only):\n" << key.material << "\n";
  }
  return 0;
}

int list(const std::vector<std::string>& argv) {
  const Args args(argv, {{"db"}, {"json", false}}, 1);
  if (args.help()) {
    std::cout << kUsage;
    return 0;
  }
  const std::string publisher = args.positionals().empty() ? "" : args.positionals()[0];
  CliStore store(args);
  std::vector<PublisherKey> keys;
  store.backend->translate_errors([&] { keys = store.backend->identity().list_keys(publisher); });
  if (args.has("json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& k : keys) {
      out.push_back({{"kid", k.kid}, {"publisher", k.publisher}, {"alg", alg_name(k.alg)},
                     {"created_at", k.created_at}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& k : keys) {
    rows.push_back({k.kid, k.publisher, std::string(alg_name(k.alg)), utc_time(k.created_at)});
  }
  print_table(std::cout, {"KID", "PUBLISHER", "ALG", "ADDED"}, rows);
  std::cout << count_of(keys.size(), "key", "keys") << "\n";
  return 0;
}

int remove(const std::vector<std::string>& argv) {
  const Args args(argv, {{"db"}}, 1);
  if (args.help()) {
    std::cout << kUsage;
    return 0;
  }
  if (args.positionals().size() != 1) throw UsageError("give exactly one KID");
  const std::string kid = args.positionals()[0];
  CliStore store(args);
  bool removed = false;
  store.backend->translate_errors([&] { removed = store.backend->identity().remove_key(kid); });
  if (!removed) {
    std::cerr << "stork: no key '" << kid << "'\n";
    return 1;
  }
  // Tokens naming it are refused from the next request on: keys are read
  // from the database on every verification.
  std::cout << "Removed key " << kid << ".\n";
  return 0;
}

}  // namespace

int cmd_publisher_key(const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    std::cout << kUsage;
    return argv.empty() ? 2 : 0;
  }
  const std::vector<std::string> rest(argv.begin() + 1, argv.end());
  if (argv[0] == "add") return add(rest);
  if (argv[0] == "list") return list(rest);
  if (argv[0] == "remove") return remove(rest);
  throw UsageError("unknown publisher key command '" + argv[0] + "'");
}

}  // namespace stork
