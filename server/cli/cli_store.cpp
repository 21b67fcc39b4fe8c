#include "cli/cli_store.hpp"

#include "cli/cli_support.hpp"

namespace stork {

CliStore::CliStore(const Args& args, Argon2Params argon2)
    : backend(open_backend(db_path(args))),
      services(*backend, clock, argon2, SessionPolicy{}, SignupRules{}) {}

}  // namespace stork
