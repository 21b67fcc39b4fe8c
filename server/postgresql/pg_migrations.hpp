#pragma once
// PostgreSQL schema migrations, generated at build time from the numbered
// files in db/postgresql/ (the same numbers as db/, in PostgreSQL's dialect).

#include "storage/migrations.hpp"

#include <vector>

namespace stork {

// In ascending version order.
const std::vector<Migration>& postgresql_migrations();

}  // namespace stork
