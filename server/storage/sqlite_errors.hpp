#pragma once
// The SQLite backend's storage edge: SQLiteCpp's exceptions become Stork's
// StoreBusy / StoreError here, and nowhere above.

#include "storage/errors.hpp"

#include <SQLiteCpp/Exception.h>

#include <utility>

namespace stork {

// StoreBusy for SQLITE_BUSY / SQLITE_LOCKED (another process held the
// write lock past busy_timeout), StoreError for everything else.
[[noreturn]] void throw_store_error(const SQLite::Exception& e);

template <typename Fn>
decltype(auto) translate_sqlite_errors(Fn&& fn) {
  try {
    return std::forward<Fn>(fn)();
  } catch (const SQLite::Exception& e) {
    throw_store_error(e);
  }
}

}  // namespace stork
