#include "catalog/catalog_import.hpp"

namespace stork {

ImportReport CatalogImport::run(std::istream& in, ProductFormat format,
                                const ImportOptions& options) {
  ImportReport report;
  ProductFileContent content = read_product_file(in, format, options.rules, options.read_progress);
  report.records = content.records;
  if (!content.problems.empty()) {
    report.problems = std::move(content.problems);
    return report;
  }
  if (options.check_only) {
    report.summary = store_.compare(content.rows);
    return report;
  }
  report.summary = store_.upsert_all(content.rows, options.write_progress);
  report.applied = true;
  return report;
}

}  // namespace stork
