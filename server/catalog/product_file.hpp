#pragma once
// Catalog files: CSV with a header row (columns in any order) and JSON
// Lines, both with the fields id, name, brand, price, currency, image.
// Reading checks every line and reports each problem with its line
// number; writing produces files that read back to the same rows.

#include "catalog/product_row.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace stork {

enum class ProductFormat { csv, jsonl };

// By extension (.csv; .jsonl, .ndjson), else by the first byte that is
// not white space ('{': JSON Lines).
ProductFormat guess_product_format(const std::filesystem::path& file, std::string_view head);

struct LineProblem {
  std::size_t line = 0;  // 1-based, physical line where the record starts
  std::string field;     // "id", "price", ..., "header" or "row"
  std::string message;
};

struct ProductFileContent {
  std::vector<ProductRow> rows;       // only when problems is empty
  std::vector<LineProblem> problems;  // in line order
  std::size_t records = 0;            // data records seen (blank lines not counted)
};

struct ProductFileRules {
  std::filesystem::path assets_root;  // where /assets/ images must exist; empty: not checked
};

// Called now and then while reading, with the records read so far.
using ReadProgress = std::function<void(std::size_t records)>;

ProductFileContent read_product_file(std::istream& in, ProductFormat format,
                                     const ProductFileRules& rules,
                                     const ReadProgress& progress = {});

// One row as the file format writes it (CSV: without the header).
std::string csv_header();
std::string to_csv_line(const ProductRow& row);
std::string to_jsonl_line(const ProductRow& row);

}  // namespace stork
