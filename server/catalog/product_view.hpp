#pragma once
// The product JSON of the contract, personalized for a viewer or not.

#include "accounts/account_store.hpp"
#include "catalog/catalog.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace stork {

struct Viewer {
  const User& user;
  ViewerState state;
};

nlohmann::json product_json(const Product& product, const std::optional<Viewer>& viewer);

// Same document, serialized: the hot path of the widget.
std::string product_body(const Product& product, const std::optional<Viewer>& viewer);

}  // namespace stork
