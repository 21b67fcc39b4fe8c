#pragma once
// Stork's own storage errors. Every backend (SQLite, PostgreSQL, ...)
// translates its library's exceptions into these at the storage edge, so
// nothing above a store ever sees sqlite3.h or libpq error codes.
//
//   StoreBusy   the store could not serve the call now but may shortly
//               (lock timeout, pool exhausted, serialization failure after
//               the bounded retries, connection lost). HTTP answers 503
//               with Retry-After; the CLI prints a clear message and exits 1.
//   StoreError  anything else (corrupt file, constraint the caller did not
//               expect, disk full, ...). HTTP answers 500 with a generic
//               body (the detail goes to the log, never to the client).
//
// StoreBusy is a StoreError, so `catch (const StoreError&)` sees both;
// catch StoreBusy first where the answer differs.

#include <stdexcept>
#include <string>

namespace stork {

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class StoreBusy : public StoreError {
 public:
  using StoreError::StoreError;
};

}  // namespace stork
