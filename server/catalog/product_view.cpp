#include "catalog/product_view.hpp"

#include "catalog/currency.hpp"

#include <cmath>

namespace stork {
namespace {

double average_of(const Product& p) {
  return p.rating_count == 0
             ? 0.0
             : std::round(static_cast<double>(p.rating_sum) /
                          static_cast<double>(p.rating_count) * 100.0) /
                   100.0;
}

// Text that JSON carries verbatim: printable ASCII without quote or
// backslash. Anything else goes through the library's escaper, so the
// output is exactly that of dump(); stored text that is not valid UTF-8
// (input is validated, but a database outlives its validators) gets
// U+FFFD instead of an exception that would fail every product read.
bool is_plain(std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f || c == '"' || c == '\\') return false;
  }
  return true;
}

void append_string(std::string& out, const std::string& s) {
  if (is_plain(s)) {
    out += '"';
    out += s;
    out += '"';
  } else {
    out += nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

// Numbers are formatted by the library too (shortest round-trip doubles).
void append_number(std::string& out, double v) { out += nlohmann::json(v).dump(); }
void append_number(std::string& out, std::int64_t v) { out += std::to_string(v); }

}  // namespace

nlohmann::json product_json(const Product& p, const std::optional<Viewer>& viewer) {
  const double average = average_of(p);
  nlohmann::json j = {
      {"id", p.id},
      {"name", p.name},
      {"brand", p.brand},
      {"price",
       {{"amount", price_amount(p.price_cents, p.currency)}, {"currency", p.currency}}},
      {"image", p.image},
      {"rating", {{"average", average}, {"count", p.rating_count}}},
      {"viewer", nullptr},
  };
  if (viewer) {
    j["viewer"] = {
        {"username", viewer->user.username},
        {"first", viewer->user.first},
        {"last", viewer->user.last},
        {"rating", viewer->state.rating ? nlohmann::json(*viewer->state.rating) : nullptr},
        {"wishlisted", viewer->state.wishlisted},
    };
  }
  return j;
}

// Written directly rather than through a json tree: this is the hot path
// of the widget, and the tree cost a dozen allocations per request. Keys
// come in the order dump() gives them (sorted), so both are byte-equal.
std::string product_body(const Product& p, const std::optional<Viewer>& viewer) {
  std::string out;
  out.reserve(320);
  out += "{\"brand\":";
  append_string(out, p.brand);
  out += ",\"id\":";
  append_number(out, p.id);
  out += ",\"image\":";
  append_string(out, p.image);
  out += ",\"name\":";
  append_string(out, p.name);
  out += ",\"price\":{\"amount\":";
  append_number(out, price_amount(p.price_cents, p.currency));
  out += ",\"currency\":";
  append_string(out, p.currency);
  out += "},\"rating\":{\"average\":";
  append_number(out, average_of(p));
  out += ",\"count\":";
  append_number(out, p.rating_count);
  out += "},\"viewer\":";
  if (!viewer) {
    out += "null}";
    return out;
  }
  out += "{\"first\":";
  append_string(out, viewer->user.first);
  out += ",\"last\":";
  append_string(out, viewer->user.last);
  out += ",\"rating\":";
  if (viewer->state.rating) {
    append_number(out, std::int64_t{*viewer->state.rating});
  } else {
    out += "null";
  }
  out += ",\"username\":";
  append_string(out, viewer->user.username);
  out += ",\"wishlisted\":";
  out += viewer->state.wishlisted ? "true" : "false";
  out += "}}";
  return out;
}

}  // namespace stork
