#pragma once
// LoginThrottle over a real SQLite file, for the tests of its rules.

#include "accounts/login_throttle.hpp"
#include "accounts/sqlite_throttle_store.hpp"
#include "storage/sqlite_unit_of_work.hpp"

namespace stork::test {

struct SqliteLoginThrottle {
  explicit SqliteLoginThrottle(Database& db, ThrottleRules rules = {})
      : store(db), unit(db), throttle(store, unit, rules) {}
  SqliteThrottleStore store;
  SqliteUnitOfWork unit;
  LoginThrottle throttle;
};

}  // namespace stork::test
