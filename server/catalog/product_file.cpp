#include "catalog/product_file.hpp"

#include "catalog/currency.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <istream>
#include <optional>
#include <unordered_map>

namespace stork {
namespace {

constexpr std::array<std::string_view, 6> kFields = {"id",    "name",     "brand",
                                                     "price", "currency", "image"};
enum Field : std::size_t { kId, kName, kBrand, kPrice, kCurrency, kImage };
constexpr std::size_t kProgressEvery = 10'000;

using RawValues = std::array<std::optional<std::string>, kFields.size()>;

std::optional<std::size_t> field_index(std::string_view name) {
  const auto found = std::find(kFields.begin(), kFields.end(), name);
  if (found == kFields.end()) return std::nullopt;
  return static_cast<std::size_t>(found - kFields.begin());
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Turns the text values of one record into a row, or reports why not.
// The same checks for both formats: the formats differ only in how values
// are written down.
class RowChecker {
 public:
  explicit RowChecker(const ProductFileRules& rules, ProductFileContent& out)
      : rules_(rules), out_(out) {}

  void check(std::size_t line, const RawValues& values) {
    ++out_.records;
    const std::size_t problems_before = out_.problems.size();
    for (std::size_t f = 0; f < kFields.size(); ++f) {
      if (!values[f]) problem(line, kFields[f], "is missing");
    }
    if (out_.problems.size() != problems_before) return;

    ProductRow row;
    const std::string& id = *values[kId];
    if (!all_digits(id) || id.size() > 16 || std::stoll(id) < 1 || std::stoll(id) > kMaxProductId) {
      problem(line, "id", "must be a whole number from 1 to " + std::to_string(kMaxProductId) +
                              ", got '" + id.substr(0, 40) + "'");
    } else {
      row.id = std::stoll(id);
      const auto [seen, inserted] = first_line_of_id_.emplace(row.id, line);
      if (!inserted) {
        problem(line, "id", id + " appears already on line " + std::to_string(seen->second));
      }
    }
    for (const Field f : {kName, kBrand}) {
      if (const auto why = product_text_violation(*values[f]); !why.empty()) {
        problem(line, kFields[f], why);
      }
    }
    row.name = *values[kName];
    row.brand = *values[kBrand];
    row.currency = *values[kCurrency];
    const auto digits = minor_digits(row.currency);
    if (!digits) {
      problem(line, "currency",
              "'" + row.currency.substr(0, 20) + "' is not an ISO 4217 currency code (like EUR, USD, JPY)");
    } else {
      const PriceParse price = parse_price(*values[kPrice], *digits);
      if (price.minor) {
        row.price_minor = *price.minor;
      } else {
        problem(line, "price", price.error);
      }
    }
    row.image = *values[kImage];
    if (const auto why = product_image_violation(row.image, rules_.assets_root); !why.empty()) {
      problem(line, "image", why);
    }
    if (out_.problems.size() == problems_before) out_.rows.push_back(std::move(row));
  }

  void problem(std::size_t line, std::string_view field, std::string message) {
    out_.problems.push_back({line, std::string(field), std::move(message)});
  }

 private:
  const ProductFileRules& rules_;
  ProductFileContent& out_;
  std::unordered_map<std::int64_t, std::size_t> first_line_of_id_;
};

// One CSV record (RFC 4180), which may span physical lines inside quotes.
class CsvRecords {
 public:
  explicit CsvRecords(std::istream& in) : in_(in) {}

  // False at the end of input. On a malformed record, error is set and the
  // fields are incomplete.
  bool next(std::vector<std::string>& fields, std::size_t& start_line, std::string& error) {
    fields.clear();
    error.clear();
    std::string physical;
    if (!read_line(physical)) return false;
    start_line = line_;
    std::string field;
    bool quoted = false;       // inside a quoted field
    bool after_quote = false;  // a quoted field just closed
    bool any = false;
    for (;;) {
      for (std::size_t i = 0; i < physical.size(); ++i) {
        const char c = physical[i];
        any = true;
        if (quoted) {
          if (c != '"') {
            field += c;
          } else if (i + 1 < physical.size() && physical[i + 1] == '"') {
            field += '"';
            ++i;
          } else {
            quoted = false;
            after_quote = true;
          }
        } else if (c == ',') {
          fields.push_back(std::move(field));
          field.clear();
          after_quote = false;
        } else if (after_quote) {
          error = "after a closing quote only a comma may follow";
          return true;
        } else if (c == '"') {
          if (!field.empty()) {
            error = "a field that contains a quote must be quoted as a whole";
            return true;
          }
          quoted = true;
        } else {
          field += c;
        }
      }
      if (!quoted) break;
      // A line break inside quotes belongs to the field.
      if (!read_line(physical)) {
        error = "a quoted field is not closed";
        return true;
      }
      field += '\n';
    }
    if (any || !fields.empty()) fields.push_back(std::move(field));
    return true;
  }

 private:
  bool read_line(std::string& out) {
    if (!std::getline(in_, out)) return false;
    ++line_;
    if (line_ == 1 && out.rfind("\xEF\xBB\xBF", 0) == 0) out.erase(0, 3);  // a spreadsheet's BOM
    if (!out.empty() && out.back() == '\r') out.pop_back();
    return true;
  }

  std::istream& in_;
  std::size_t line_ = 0;
};

void read_csv(std::istream& in, RowChecker& checker, ProductFileContent& out,
              const ReadProgress& progress) {
  CsvRecords records(in);
  std::vector<std::string> fields;
  std::size_t line = 0;
  std::string error;
  std::vector<std::optional<std::size_t>> columns;  // CSV column -> field
  bool have_header = false;
  while (records.next(fields, line, error)) {
    if (error.empty() && fields.empty()) continue;  // blank line
    if (!error.empty()) {
      checker.problem(line, have_header ? "row" : "header", error);
      if (!have_header) return;
      continue;
    }
    if (!have_header) {
      have_header = true;
      std::array<bool, kFields.size()> present{};
      for (const std::string& raw : fields) {
        std::string name = raw;
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        const auto index = field_index(name);
        if (!index) {
          checker.problem(line, "header", "unknown column '" + raw.substr(0, 40) +
                                              "' (the columns are id, name, brand, price, currency, image)");
        } else if (present[*index]) {
          checker.problem(line, "header", "column '" + name + "' appears twice");
        } else {
          present[*index] = true;
        }
        columns.push_back(index);
      }
      for (std::size_t f = 0; f < kFields.size(); ++f) {
        if (!present[f]) checker.problem(line, "header", "column '" + std::string(kFields[f]) + "' is missing");
      }
      if (!out.problems.empty()) return;  // rows cannot be read without their columns
      continue;
    }
    if (fields.size() != columns.size()) {
      ++out.records;
      checker.problem(line, "row", "has " + std::to_string(fields.size()) + " fields; the header has " +
                                       std::to_string(columns.size()));
      continue;
    }
    RawValues values;
    for (std::size_t c = 0; c < fields.size(); ++c) values[*columns[c]] = std::move(fields[c]);
    checker.check(line, values);
    if (progress && out.records % kProgressEvery == 0) progress(out.records);
  }
  if (!have_header) checker.problem(1, "header", "the file is empty; a CSV catalog starts with a header row");
}

void read_jsonl(std::istream& in, RowChecker& checker, ProductFileContent& out,
                const ReadProgress& progress) {
  std::string text;
  std::size_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (line == 1 && text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank line
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      ++out.records;
      checker.problem(line, "row", "is not a JSON object on one line");
      continue;
    }
    RawValues values;
    bool typed = true;
    for (const auto& [key, value] : j.items()) {
      const auto index = field_index(key);
      if (!index) {
        checker.problem(line, key.substr(0, 40), "is not a field of a product (id, name, brand, price, currency, image)");
        typed = false;
        continue;
      }
      if (value.is_string()) {
        if (*index == kId) {
          checker.problem(line, "id", "must be a JSON number, not a string");
          typed = false;
        } else {
          values[*index] = value.get<std::string>();
        }
      } else if (value.is_number_integer() && (*index == kId || *index == kPrice)) {
        values[*index] = value.dump();
      } else if (value.is_number_float() && *index == kPrice) {
        checker.problem(line, "price",
                        "write the price as a string, e.g. \"499.99\": a floating-point number is not exact");
        typed = false;
      } else {
        checker.problem(line, key, std::string("must be a ") + (*index == kId ? "whole number" : "string"));
        typed = false;
      }
    }
    if (!typed) {
      ++out.records;
      continue;
    }
    checker.check(line, values);
    if (progress && out.records % kProgressEvery == 0) progress(out.records);
  }
}

std::string csv_field(const std::string& value) {
  const bool needs_quotes = value.find_first_of(",\"\r\n") != std::string::npos ||
                            (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!needs_quotes) return value;
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string price_text(const ProductRow& row) {
  return format_price(row.price_minor, minor_digits(row.currency).value_or(2));
}

}  // namespace

ProductFormat guess_product_format(const std::filesystem::path& file, std::string_view head) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".jsonl" || ext == ".ndjson") return ProductFormat::jsonl;
  if (ext == ".csv") return ProductFormat::csv;
  if (head.rfind("\xEF\xBB\xBF", 0) == 0) head.remove_prefix(3);
  const auto first = head.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && head[first] == '{' ? ProductFormat::jsonl
                                                                : ProductFormat::csv;
}

ProductFileContent read_product_file(std::istream& in, ProductFormat format,
                                     const ProductFileRules& rules, const ReadProgress& progress) {
  ProductFileContent out;
  RowChecker checker(rules, out);
  if (format == ProductFormat::csv) {
    read_csv(in, checker, out, progress);
  } else {
    read_jsonl(in, checker, out, progress);
  }
  std::stable_sort(out.problems.begin(), out.problems.end(),
                   [](const LineProblem& a, const LineProblem& b) { return a.line < b.line; });
  if (!out.problems.empty()) out.rows.clear();
  return out;
}

std::string csv_header() { return "id,name,brand,price,currency,image"; }

std::string to_csv_line(const ProductRow& row) {
  return std::to_string(row.id) + "," + csv_field(row.name) + "," + csv_field(row.brand) + "," +
         price_text(row) + "," + csv_field(row.currency) + "," + csv_field(row.image);
}

std::string to_jsonl_line(const ProductRow& row) {
  nlohmann::ordered_json j;
  j["id"] = row.id;
  j["name"] = row.name;
  j["brand"] = row.brand;
  j["price"] = price_text(row);
  j["currency"] = row.currency;
  j["image"] = row.image;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace stork
