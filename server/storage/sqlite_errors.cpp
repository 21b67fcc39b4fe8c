#include "storage/sqlite_errors.hpp"

#include <sqlite3.h>

namespace stork {

void throw_store_error(const SQLite::Exception& e) {
  const int primary = e.getErrorCode() & 0xff;  // extended codes keep the primary in the low byte
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw StoreBusy(e.what());
  throw StoreError(e.what());
}

}  // namespace stork
