#include "cli/commands.hpp"

#include "cli/args.hpp"
#include "cli/demo_certificate.hpp"
#include "cli/cli_store.hpp"
#include "cli/cli_support.hpp"
#include "cli/operator_commands.hpp"
#include "http/http_server.hpp"
#include "http/metrics_listener.hpp"
#include "maintenance.hpp"
#include "publishers/origin.hpp"
#include "seed/seed.hpp"
#include "text/utf8.hpp"

#include <SQLiteCpp/Exception.h>

#include <csignal>
#include <filesystem>
#include <optional>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace stork {
namespace {

constexpr const char* kUsage =
    "usage: stork <command> [flags]\n"
    "\n"
    "commands:\n"
    "  serve             run the widget server\n"
    "  demo              seed a demo, then serve it with a demo publisher site\n"
    "  migrate           apply pending database migrations\n"
    "  seed              create the benchmark data set, the demo publisher and user\n"
    "  user add NAME     add a user (password read from standard input)\n"
    "  user passwd NAME  set a user's password (from standard input); ends their sessions\n"
    "  user disable NAME disable a user; ends their sessions\n"
    "  publisher add KEY register a publisher and its origins\n"
    "  publisher list|show|remove, publisher origin add|remove\n"
    "                    see and change who may embed the widget\n"
    "  publisher key add|list|remove  keys a publisher signs identity tokens with\n"
    "  product import FILE  add or update products from a CSV or JSON Lines file\n"
    "  product export    write the catalog to standard output\n"
    "  product remove ID remove a product\n"
    "\n"
    "Run 'stork <command> --help' for the flags of a command.\n";

const std::vector<FlagSpec> kServeFlags = {
    {"listen"}, {"db"}, {"public-origin"}, {"demo-publisher"}, {"tls-cert"}, {"tls-key"},
    {"assets"}, {"trusted-proxy"}, {"workers"}, {"idle-timeout"}, {"purge-interval"},
    {"lab-only", false}, {"metrics-listen"}, {"db-pool"}, {"read-cache-ms"},
};

constexpr const char* kServeHelp =
    "usage: stork serve [--listen HOST:PORT] [--db PATH] [--public-origin URL]\n"
    "                   [--demo-publisher HOST:PORT] [--tls-cert FILE --tls-key FILE]\n"
    "                   [--assets DIR] [--trusted-proxy ADDRESS] [--workers N]\n"
    "                   [--idle-timeout SECONDS] [--purge-interval SECONDS] [--lab-only]\n"
    "                   [--metrics-listen HOST:PORT] [--db-pool N] [--read-cache-ms N]\n"
    "\n"
    "  --listen          address to listen on (default 127.0.0.1:8080, env STORK_LISTEN)\n"
    "  --db              SQLite file (default ./var/stork.db), sqlite:PATH, or a PostgreSQL\n"
    "                    URI postgresql://USER@HOST:PORT/DB (env STORK_DB; a password is better\n"
    "                    in PGPASSWORD or ~/.pgpass than in the URI)\n"
    "  --db-pool         PostgreSQL connections this process may open (default 16)\n"
    "  --read-cache-ms   keep sessions, users and products read in memory, dropped\n"
    "                    when any process changes them (within milliseconds), and never\n"
    "                    served older than this (default 2000; 0 turns the cache off)\n"
    "  --public-origin   origin browsers reach the widget at (default http://localhost:PORT,\n"
    "                    env STORK_PUBLIC_ORIGIN); https, or http on localhost\n"
    "  --demo-publisher  also serve the demo publisher site (static/) at HOST:PORT\n"
    "  --tls-cert/--tls-key  serve HTTPS with this PEM certificate and key\n"
    "  --assets          directory holding widget/ and static/ (default: the source tree)\n"
    "  --trusted-proxy   believe X-Forwarded-For only from this peer address\n"
    "  --metrics-listen  serve /metrics on this address only, to whoever reaches it (default: on\n"
    "                    --listen, to loopback clients)\n"
    "  --workers         HTTP worker threads; each open keep-alive connection holds one (default 256)\n"
    "  --idle-timeout    session idle timeout in seconds, at least 10 (default 1800)\n"
    "  --purge-interval  seconds between purges of expired sessions (default 60)\n"
    "  --lab-only        serve only the cookie lab (/lab, /api/cookie-check, assets) and, on the\n"
    "                    demo listener (default 127.0.0.1:8081), a page framing it; without --db\n"
    "                    it uses a throw-away database\n";

Config serve_config(const Args& args) {
  Config cfg;
  const std::string listen = args.get("listen").value_or(env_or("STORK_LISTEN", "127.0.0.1:8080"));
  const auto hp = parse_host_port(listen);
  if (!hp) throw UsageError("--listen must be HOST:PORT, got '" + listen + "'");
  cfg.listen = *hp;
  cfg.db_path = db_path(args);
  cfg.public_origin = args.get("public-origin").value_or(env_or("STORK_PUBLIC_ORIGIN", ""));
  if (!cfg.public_origin.empty() && !normalize_origin(cfg.public_origin)) {
    throw UsageError("--public-origin must be an origin like https://widget.example");
  }
  if (const auto demo = args.get("demo-publisher")) {
    cfg.demo_publisher = parse_host_port(*demo);
    if (!cfg.demo_publisher) throw UsageError("--demo-publisher must be HOST:PORT");
  }
  cfg.tls_cert = args.get("tls-cert").value_or("");
  cfg.tls_key = args.get("tls-key").value_or("");
  if (cfg.tls_cert.empty() != cfg.tls_key.empty()) throw UsageError("--tls-cert and --tls-key go together");
  if (const auto assets = args.get("assets")) cfg.assets_dir = *assets;
  cfg.trusted_proxy = args.get("trusted-proxy").value_or("");
  if (const auto metrics = args.get("metrics-listen")) {
    cfg.metrics_listen = parse_host_port(*metrics);
    if (!cfg.metrics_listen) throw UsageError("--metrics-listen must be HOST:PORT, got '" + *metrics + "'");
  }
  if (const auto n = args.integer("db-pool", 1, 1000)) cfg.db_pool_connections = static_cast<std::size_t>(*n);
  if (const auto n = args.integer("read-cache-ms", 0, 60'000)) cfg.read_cache_ms = *n;
  if (const auto n = args.integer("workers", 4, 4096)) cfg.worker_threads = static_cast<std::size_t>(*n);
  if (const auto n = args.integer("idle-timeout", 1, 30 * 24 * 3600)) {
    if (*n < kMinIdleSeconds) {
      throw UsageError("--idle-timeout must be at least " + std::to_string(kMinIdleSeconds) +
                       " seconds (activity is recorded to the second, so a shorter timeout would end "
                       "sessions that are in use)");
    }
    cfg.sessions.idle_seconds = *n;
  }
  if (const auto n = args.integer("purge-interval", 1, 24 * 3600)) cfg.purge_interval_seconds = static_cast<int>(*n);
  cfg.lab_only = args.has("lab-only");
  if (cfg.lab_only && !cfg.demo_publisher) cfg.demo_publisher = HostPort{"127.0.0.1", 8081};
  return cfg;
}

// Blocks SIGINT/SIGTERM in every thread and waits for them on one, so
// shutdown runs as ordinary code instead of inside a signal handler.
class SignalWaiter {
 public:
  SignalWaiter() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  }
  void wait_then(const std::function<void()>& on_signal) {
    thread_ = std::jthread([this, on_signal] {
      int sig = 0;
      sigwait(&set_, &sig);
      on_signal();
    });
  }

 private:
  sigset_t set_{};
  std::jthread thread_;
};

int serve(Config cfg, const std::string& banner) {
  SignalWaiter signals;  // before any thread starts, so all inherit the mask
  std::unique_ptr<App> app;
  try {
    app = std::make_unique<App>(std::move(cfg));
  } catch (const StoreError& e) {
    std::cerr << "stork: cannot open the database: " << e.what() << "\n";
    return 1;
  } catch (const std::invalid_argument& e) {
    std::cerr << "stork: " << e.what() << "\n";
    return 2;
  }
  const Config& c = app->config;
  HttpServer server(*app);
  if (server.bind(c.listen) < 0) {
    std::cerr << "stork: cannot listen on " << c.listen.host << ":" << c.listen.port
              << " (in use, or not an address of this machine)\n";
    return 1;
  }
  std::unique_ptr<DemoPublisherSite> site;
  if (c.demo_publisher) {
    site = std::make_unique<DemoPublisherSite>(*app);
    if (site->bind(*c.demo_publisher) < 0) {
      std::cerr << "stork: cannot listen on " << c.demo_publisher->host << ":" << c.demo_publisher->port
                << " for the demo publisher site\n";
      return 1;
    }
  }
  std::unique_ptr<MetricsListener> metrics;
  if (c.metrics_listen) {
    metrics = std::make_unique<MetricsListener>(*app);
    if (metrics->bind(*c.metrics_listen) < 0) {
      std::cerr << "stork: cannot listen on " << c.metrics_listen->host << ":" << c.metrics_listen->port
                << " for the metrics\n";
      return 1;
    }
  }
  Maintenance maintenance(*app);
  std::jthread site_thread;
  if (site) site_thread = std::jthread([&] { site->run(); });
  std::jthread metrics_thread;
  if (metrics) metrics_thread = std::jthread([&] { metrics->run(); });
  signals.wait_then([&] {
    server.stop();
    if (site) site->stop();
    if (metrics) metrics->stop();
  });

  const char* scheme = c.tls() ? "https" : "http";
  std::cout << "Stork widget server: " << app->public_origin << "  (listening on " << scheme << "://"
            << c.listen.host << ":" << c.listen.port << ", " << app->backend->describe() << ")\n";
  if (site) {
    std::cout << "Demo publisher site: " << scheme << "://" << c.demo_publisher->host << ":"
              << c.demo_publisher->port << "/\n";
  }
  if (metrics) {
    std::cout << "Metrics: http://" << c.metrics_listen->host << ":" << c.metrics_listen->port << "/metrics\n";
  }
  if (!banner.empty()) std::cout << banner;
  std::cout << "Press Ctrl+C to stop." << std::endl;
  const bool ok = server.run();
  if (site) site->stop();
  if (metrics) metrics->stop();
  std::cout << "Stork stopped." << std::endl;
  // A stop by signal ends the sigwait thread; otherwise wake it ourselves.
  if (!ok) {
    std::cerr << "stork: the server stopped unexpectedly\n";
    std::_Exit(1);
  }
  kill(getpid(), SIGTERM);
  return 0;
}

// A database directory that lives as long as the lab-only server.
class ThrowAwayDirectory {
 public:
  ThrowAwayDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "stork-lab-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory");
    path_ = pattern;
  }
  ~ThrowAwayDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ThrowAwayDirectory(const ThrowAwayDirectory&) = delete;
  ThrowAwayDirectory& operator=(const ThrowAwayDirectory&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

int cmd_serve(const std::vector<std::string>& argv) {
  const Args args(argv, kServeFlags, 0);
  if (args.help()) {
    std::cout << kServeHelp;
    return 0;
  }
  Config cfg = serve_config(args);
  if (!cfg.lab_only) return serve(std::move(cfg), "");
  // The lab keeps no accounts: unless told otherwise, its database is scratch.
  std::optional<ThrowAwayDirectory> scratch;
  if (!args.has("db") && !std::getenv("STORK_DB")) {
    scratch.emplace();
    cfg.db_path = (scratch->path() / "lab.db").string();
  }
  const std::string origin = cfg.effective_public_origin();
  const std::string framing = std::string(cfg.tls() ? "https" : "http") + "://" + cfg.demo_publisher->host + ":" +
                              std::to_string(cfg.demo_publisher->port) + "/";
  return serve(std::move(cfg), "Cookie lab only: open " + framing + " (it frames " + origin + "/lab)\n");
}

// What a visitor of the demo should expect from their browser's engine.
std::string demo_browser_notes(const Config& cfg, const std::optional<DemoCertificate>& tls) {
  if (!tls && cfg.tls()) return "";  // the operator's own certificate
  if (!tls) {
    return "Safari (WebKit): it refuses the Secure cookies the widget sets on http://localhost, so\n"
           "  a sign-in there lasts only while the page is open. Run 'stork demo --https' for a\n"
           "  sign-in that survives a reload in every engine.\n";
  }
  const std::string widget = "https://localhost:" + std::to_string(cfg.listen.port);
  return std::string("HTTPS with a certificate made for this demo") + (tls->reused ? " (kept from the last run)" : "") +
         ":\n  " + tls->cert_path + "\n  SHA-256 fingerprint " + tls->sha256_fingerprint +
         "\n  Your browser warns about it: first open " + widget +
         "/healthz and accept it (check the fingerprint),\n  then the demo site. "
         "Safari keeps no cookie in the widget's frame: tick \"Keep me signed in\" and the\n"
         "  sign-in is kept in this site's storage for Stork (\"Signed in on this site only\").\n";
}

// Where the demo keeps its files: beside a SQLite file, or ./var for a
// database server.
std::filesystem::path demo_state_directory(const std::string& db) {
  if (db.find("://") != std::string::npos) return "var";
  const std::string path = db.rfind("sqlite:", 0) == 0 ? db.substr(7) : db;
  return std::filesystem::path(path).parent_path();
}

std::vector<FlagSpec> demo_flags() {
  std::vector<FlagSpec> flags = kServeFlags;
  flags.push_back({"https", false});
  return flags;
}

int cmd_demo(const std::vector<std::string>& argv) {
  const Args args(argv, demo_flags(), 0);
  if (args.help()) {
    std::cout << "usage: stork demo [--https] [serve flags]\n\n"
                 "Seeds the demo catalog, the publisher 'demo' and the user 'johndoe' (with a fresh\n"
                 "password, printed), then serves the widget and the demo publisher site\n"
                 "(--demo-publisher, default 127.0.0.1:8081).\n\n"
                 "  --https   serve both over HTTPS with a self-signed certificate made on the spot\n"
                 "            (kept next to the database; its SHA-256 fingerprint is printed)\n";
    return 0;
  }
  Config cfg = serve_config(args);
  if (!cfg.demo_publisher) cfg.demo_publisher = HostPort{"127.0.0.1", 8081};
  std::optional<DemoCertificate> tls;
  if (args.has("https")) {
    if (cfg.tls()) throw UsageError("--https makes its own certificate: drop --tls-cert/--tls-key");
    try {
      tls = demo_certificate(demo_state_directory(cfg.db_path) / "demo-tls");
    } catch (const std::runtime_error& e) {
      std::cerr << "stork: " << e.what() << "\n";
      return 1;
    }
    cfg.tls_cert = tls->cert_path;
    cfg.tls_key = tls->key_path;
  }
  const std::string notes = demo_browser_notes(cfg, tls);
  std::string password;
  try {
    const auto backend = open_backend(cfg.db_path);
    const UnixSeconds now = unix_now();
    const std::string publisher_origin =
        std::string(cfg.tls() ? "https" : "http") + "://" + cfg.demo_publisher->host + ":" +
        std::to_string(cfg.demo_publisher->port);
    seed_demo_publisher(*backend, *normalize_origin(publisher_origin), now);
    if (!backend->catalog().product(2)) {
      SeedOptions small;
      small.users = 0;
      small.products = 24;
      small.ratings = 0;
      small.wishlist = 0;
      seed_workload(*backend, small, now, nullptr);
    }
    seed_demo_product(*backend);
    password = reset_demo_user(*backend, cfg.argon2, now);
  } catch (const StoreError& e) {
    std::cerr << "stork: cannot prepare the demo in the database: " << e.what() << "\n";
    return 1;
  }
  return serve(std::move(cfg), "Demo user: johndoe / " + password + "\n" + notes);
}

int cmd_migrate(const std::vector<std::string>& argv) {
  const Args args(argv, {{"db"}}, 0);
  if (args.help()) {
    std::cout << "usage: stork migrate --db PATH\n\nApplies pending schema migrations.\n";
    return 0;
  }
  CliStore store(args);
  std::cout << store.backend->describe() << " is at schema version "
            << store.backend->schema_version() << ".\n";
  return 0;
}

int cmd_seed(const std::vector<std::string>& argv) {
  const Args args(argv, {{"db"}, {"users"}, {"products"}, {"threads"}, {"demo-origin"}}, 0);
  if (args.help()) {
    std::cout << "usage: stork seed --db PATH [--users N] [--products N] [--threads N]\n"
                 "                  [--demo-origin ORIGIN]\n\n"
                 "Creates the benchmark data set (user00001.., password pw-<username>; products 1..N\n"
                 "and 1337; ratings and wishlists from a fixed seed), the publisher 'demo'\n"
                 "(at --demo-origin, default http://127.0.0.1:8081) and the user 'johndoe', whose\n"
                 "password it prints.\n";
    return 0;
  }
  const std::string demo_origin = args.get("demo-origin").value_or("http://127.0.0.1:8081");
  const auto normalized_demo_origin = normalize_origin(demo_origin);
  if (!normalized_demo_origin) throw UsageError("--demo-origin must be an origin like https://news.example");
  SeedOptions options;
  options.users = static_cast<int>(args.integer("users", 0, 1000000).value_or(10000));
  options.products = static_cast<int>(args.integer("products", 1, 100000).value_or(1000));
  options.threads = static_cast<unsigned>(args.integer("threads", 1, 256).value_or(0));
  options.ratings = options.users == 0 ? 0 : std::min(50000, options.users * 5);
  options.wishlist = options.users == 0 ? 0 : std::min(20000, options.users * 2);
  CliStore store(args, options.argon2);
  Backend& backend = *store.backend;
  std::cerr << "Seeding " << backend.describe() << "\n";
  const UnixSeconds now = unix_now();
  seed_workload(
      backend, options, now,
      [](int done, int total) {
        std::cerr << "\rhashing passwords: " << done << "/" << total << std::flush;
        if (done == total) std::cerr << "\n";
      },
      [](const std::string& what, std::size_t done, std::size_t total) {
        std::cerr << "\rloading " << what << ": " << done << "/" << total << std::flush;
        if (done == total) std::cerr << "\n";
      });
  seed_demo_publisher(backend, *normalized_demo_origin, now);
  const std::string password = reset_demo_user(backend, options.argon2, now);
  std::cout << "Seeded " << options.users << " users, " << options.products
            << " products (and 1337), publisher 'demo'.\nDemo user: johndoe / " << password << "\n";
  return 0;
}

std::string read_password_from_stdin() {
  std::string password;
  if (isatty(STDIN_FILENO)) std::cerr << "Password: " << std::flush;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

int cmd_user(const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
    std::cout << "usage: stork user add USERNAME --first F --last L --db PATH   (password on stdin)\n"
                 "       stork user passwd USERNAME --db PATH                  (password on stdin)\n"
                 "       stork user disable USERNAME --db PATH\n"
                 "       stork user list [--json] --db PATH\n"
                 "       stork user show USERNAME [--json] --db PATH\n"
                 "       stork user remove USERNAME [--json] --db PATH   (with sessions, ratings, wishlist)\n"
                 "       stork user reset-link USERNAME [--public-origin URL] --db PATH\n"
                 "                 prints a one-time link (30 minutes) where the user sets a new password\n";
    return argv.empty() ? 2 : 0;
  }
  const std::string action = argv[0];
  if (is_user_operator_command(action)) return cmd_user_operator(argv);
  const std::vector<std::string> rest(argv.begin() + 1, argv.end());
  if (action != "add" && action != "passwd" && action != "disable") {
    throw UsageError("unknown user command '" + action + "'");
  }
  const Args args(rest, action == "add" ? std::vector<FlagSpec>{{"db"}, {"first"}, {"last"}} : std::vector<FlagSpec>{{"db"}}, 1);
  if (args.help()) return cmd_user({"--help"});
  if (args.positionals().size() != 1) throw UsageError("give exactly one USERNAME");
  const std::string username = args.positionals()[0];
  if (const auto why = username_violation(username); !why.empty()) throw UsageError(why);

  CliStore store(args);
  AccountStore& accounts = store.backend->accounts();
  if (action == "disable") {
    const auto user = accounts.find(username);
    if (!user) {
      std::cerr << "stork: no user '" << username << "'\n";
      return 1;
    }
    store.services.accounts.set_disabled(user->id, true);
    std::cout << "Disabled " << username << " and ended their sessions.\n";
    return 0;
  }
  std::string first, last;
  if (action == "add") {
    first = args.get("first").value_or("");
    last = args.get("last").value_or("");
    if (first.empty() || last.empty()) throw UsageError("--first and --last are required");
    if (const auto why = name_violation(first); !why.empty()) throw UsageError("--first: " + why);
    if (const auto why = name_violation(last); !why.empty()) throw UsageError("--last: " + why);
  }
  const std::string password = read_password_from_stdin();
  if (action == "passwd") {
    const auto user = accounts.find(username);
    if (!user) {
      std::cerr << "stork: no user '" << username << "'\n";
      return 1;
    }
    std::string why;
    const auto ended = store.services.accounts.set_password(*user, password, why);
    if (!ended) {
      std::cerr << "stork: password refused: " << why << "\n";
      return 1;
    }
    std::cout << "Changed the password of " << username << "; ended " << *ended << " sessions.\n";
    return 0;
  }
  if (const auto why = password_policy_violation(password, username); !why.empty()) {
    std::cerr << "stork: password refused: " << why << "\n";
    return 1;
  }
  if (!accounts.add({username, first, last, hash_password(password)}, store.clock.now())) {
    std::cerr << "stork: the username '" << username << "' is taken\n";
    return 1;
  }
  std::cout << "Added " << username << ".\n";
  return 0;
}

}  // namespace

int run_cli(const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
    std::cout << kUsage;
    return argv.empty() ? 2 : 0;
  }
  const std::string command = argv[0];
  const std::vector<std::string> rest(argv.begin() + 1, argv.end());
  // Every text Stork keeps is UTF-8; arguments are refused before any is used.
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (!is_valid_utf8(argv[i])) {
      std::cerr << "stork: argument " << i + 1 << " is not valid UTF-8 text\n";
      return 2;
    }
  }
  try {
    if (command == "serve") return cmd_serve(rest);
    if (command == "demo") return cmd_demo(rest);
    if (command == "migrate") return cmd_migrate(rest);
    if (command == "seed") return cmd_seed(rest);
    if (command == "user") return cmd_user(rest);
    if (command == "publisher") return cmd_publisher(rest);
    if (command == "product") return cmd_product(rest);
    throw UsageError("unknown command '" + command + "'");
  } catch (const UsageError& e) {
    std::cerr << "stork: " << e.what() << "\n" << "Run 'stork " << (command.rfind("-", 0) == 0 ? "" : command + " ") << "--help' for usage.\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "stork: " << e.what() << "\n";
    return 2;
  } catch (const StoreBusy& e) {
    std::cerr << "stork: the database is busy; try again (" << e.what() << ")\n";
    return 1;
  } catch (const StoreError& e) {
    std::cerr << "stork: database error: " << e.what() << "\n";
    return 1;
  } catch (const SQLite::Exception& e) {
    // The SQLite-only commands (seed, demo) reach the file directly.
    std::cerr << "stork: database error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace stork
