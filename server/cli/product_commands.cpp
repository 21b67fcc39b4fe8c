#include "catalog/catalog_import.hpp"
#include "cli/cli_store.hpp"
#include "cli/cli_support.hpp"
#include "cli/operator_commands.hpp"
#include "config.hpp"

#include <unistd.h>

#include <fstream>
#include <iostream>

namespace stork {
namespace {

constexpr const char* kProductHelp =
    "usage: stork product import FILE [--check] [--assets DIR] --db PATH\n"
    "       stork product export [--format csv|jsonl] --db PATH\n"
    "       stork product remove ID --db PATH\n"
    "\n"
    "  import   adds or updates products from FILE (CSV with a header row, or JSON Lines;\n"
    "           '-' reads standard input): all lines or none. Each bad line is reported as\n"
    "           FILE:LINE: field: message and nothing changes (exit code 1).\n"
    "           --check   only check the file and say what an import would change\n"
    "           --assets  directory holding widget/, where /assets/ images must exist\n"
    "                     (default: the same as 'stork serve')\n"
    "  export   writes every product to standard output (CSV by default); the output\n"
    "           imports back unchanged\n"
    "  remove   removes a product with its ratings and wishlist entries\n"
    "\n"
    "Fields: id (1..9007199254740991), name and brand (1-200 characters), price (a decimal\n"
    "string with the currency's minor digits: \"499.99\" EUR, \"5000\" JPY), currency (ISO 4217),\n"
    "image (an https:// URL or /assets/PATH).\n";

// Progress on standard error: rewritten in place on a terminal, one line
// per step otherwise (a log keeps every step).
class Progress {
 public:
  Progress() : tty_(isatty(STDERR_FILENO) != 0) {}
  ~Progress() { finish(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void say(const std::string& text) {
    std::cerr << (tty_ ? "\r" : "") << text << (tty_ ? "" : "\n") << std::flush;
    open_ = tty_;
  }
  void finish() {
    if (open_) std::cerr << "\n";
    open_ = false;
  }

 private:
  bool tty_;
  bool open_ = false;
};

int import(const Args& args) {
  if (args.positionals().size() != 2) throw UsageError("give exactly one FILE to import");
  const std::string file = args.positionals()[1];
  std::ifstream opened;
  std::istream* in = &std::cin;
  if (file != "-") {
    opened.open(file, std::ios::binary);
    if (!opened) {
      std::cerr << "stork: cannot read " << file << "\n";
      return 1;
    }
    in = &opened;
  }
  std::string head(256, '\0');
  in->read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in->gcount()));
  in->clear();
  in->seekg(0);
  if (!*in) {
    std::cerr << "stork: cannot read " << file << " (standard input must be a file, not a pipe)\n";
    return 1;
  }

  ImportOptions options;
  options.check_only = args.has("check");
  const std::string assets = args.get("assets").value_or(Config{}.assets_dir);
  options.rules.assets_root = std::filesystem::path(assets) / "widget";
  Progress progress;
  options.read_progress = [&](std::size_t records) {
    progress.say("checked " + std::to_string(records) + " products");
  };
  options.write_progress = [&](std::size_t done, std::size_t total) {
    progress.say("written " + std::to_string(done) + " of " + std::to_string(total));
  };

  CliStore cli(args);
  ProductStore& store = cli.backend->products();
  const ImportReport report =
      CatalogImport(store).run(*in, guess_product_format(file, head), options);
  progress.finish();

  if (!report.problems.empty()) {
    for (const LineProblem& p : report.problems) {
      std::cerr << file << ":" << p.line << ": " << p.field << ": " << p.message << "\n";
    }
    std::cerr << "stork: " << count_of(report.problems.size(), "problem", "problems") << " in "
              << file << "; nothing was imported.\n";
    return 1;
  }
  const UpsertSummary& s = report.summary;
  if (options.check_only) {
    std::cout << file << " is good: an import would add " << s.added << ", update " << s.updated
              << " and leave " << s.unchanged << " unchanged. Nothing was changed (--check).\n";
  } else {
    std::cout << "Imported " << file << ": " << s.added << " added, " << s.updated << " updated, "
              << s.unchanged << " unchanged.\n";
  }
  return 0;
}

int export_products(const Args& args) {
  if (args.positionals().size() != 1) throw UsageError("export takes no FILE; it writes to standard output");
  const std::string format = args.get("format").value_or("csv");
  if (format != "csv" && format != "jsonl") throw UsageError("--format is csv or jsonl");
  CliStore cli(args);
  ProductStore& store = cli.backend->products();
  std::ios::sync_with_stdio(false);
  if (format == "csv") std::cout << csv_header() << "\n";
  store.for_each([&](const ProductRow& row) {
    std::cout << (format == "csv" ? to_csv_line(row) : to_jsonl_line(row)) << "\n";
  });
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "stork: writing the export failed\n";
    return 1;
  }
  return 0;
}

int remove(const Args& args) {
  if (args.positionals().size() != 2) throw UsageError("give exactly one product ID");
  const std::string& text = args.positionals()[1];
  const bool digits = !text.empty() && text.size() <= 16 &&
                      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || std::stoll(text) < 1) throw UsageError("a product ID is a whole number from 1");
  CliStore cli(args);
  ProductStore& store = cli.backend->products();
  const auto existing = store.find(std::stoll(text));
  if (!existing || !store.remove(existing->id)) {
    std::cerr << "stork: no product " << text << "\n";
    return 1;
  }
  std::cout << "Removed product " << existing->id << " (" << existing->name
            << ") with its ratings and wishlist entries.\n";
  return 0;
}

}  // namespace

int cmd_product(const std::vector<std::string>& argv) {
  const Args args(argv, {{"db"}, {"check", false}, {"assets"}, {"format"}}, 2);
  if (args.help() || args.positionals().empty()) {
    std::cout << kProductHelp;
    return args.help() ? 0 : 2;
  }
  const std::string& action = args.positionals()[0];
  if (action == "import") return import(args);
  if (args.has("check") || args.has("assets")) throw UsageError("--check and --assets go with import");
  if (action == "export") return export_products(args);
  if (args.has("format")) throw UsageError("--format goes with export");
  if (action == "remove") return remove(args);
  throw UsageError("unknown product command '" + action + "'");
}

}  // namespace stork
