#include "catalog/product_view.hpp"

#include <cmath>

namespace stork {

nlohmann::json product_json(const Product& p, const std::optional<Viewer>& viewer) {
  const double average =
      p.rating_count == 0
          ? 0.0
          : std::round(static_cast<double>(p.rating_sum) / static_cast<double>(p.rating_count) *
                       100.0) /
                100.0;
  nlohmann::json j = {
      {"id", p.id},
      {"name", p.name},
      {"brand", p.brand},
      {"price",
       {{"amount", static_cast<double>(p.price_cents) / 100.0}, {"currency", p.currency}}},
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

std::string product_body(const Product& product, const std::optional<Viewer>& viewer) {
  return product_json(product, viewer).dump();
}

}  // namespace stork
