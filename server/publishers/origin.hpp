#pragma once
// Web origins (scheme://host[:port]) as Stork compares them.

#include <optional>
#include <string>
#include <string_view>

namespace stork {

// Lower-cases scheme and host and drops a default port; nullopt for
// anything that is not an http(s) origin without path, query or userinfo.
std::optional<std::string> normalize_origin(std::string_view text);

// The registrable-ish site of an origin, for display: scheme://host.
std::string site_of(std::string_view origin);

}  // namespace stork
