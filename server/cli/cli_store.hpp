#pragma once
// What a `stork` command works on: the backend named by --db (or
// STORK_DB) and the same services the server uses, so a command runs the
// very use case the HTTP handler runs.

#include "app.hpp"
#include "cli/args.hpp"

#include <memory>

namespace stork {

struct CliStore {
  // Opens (and migrates) the database. Throws StoreError.
  explicit CliStore(const Args& args, Argon2Params argon2 = {});

  SystemClock clock;
  std::unique_ptr<Backend> backend;
  Services services;
};

}  // namespace stork
