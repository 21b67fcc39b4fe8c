#pragma once
// The catalog import use case: read a whole product file, check every
// line, and only if all are good write them in one transaction. Called by
// `stork product import`; the command only opens the file and prints.

#include "catalog/product_file.hpp"
#include "catalog/product_store.hpp"

#include <iosfwd>

namespace stork {

struct ImportOptions {
  bool check_only = false;  // --check: report what would change, change nothing
  ProductFileRules rules;
  ReadProgress read_progress;
  WriteProgress write_progress;
};

struct ImportReport {
  std::vector<LineProblem> problems;  // non-empty: nothing was changed
  std::size_t records = 0;
  UpsertSummary summary;              // what was (or, with check_only, would be) done
  bool applied = false;               // the rows are in the store
};

class CatalogImport {
 public:
  explicit CatalogImport(ProductStore& store) : store_(store) {}

  ImportReport run(std::istream& in, ProductFormat format, const ImportOptions& options);

 private:
  ProductStore& store_;
};

}  // namespace stork
