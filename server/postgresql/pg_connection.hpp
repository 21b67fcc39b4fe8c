#pragma once
// A thin RAII layer over libpq: one connection, its results, its prepared
// statements. Everything PostgreSQL-specific in Stork lives in this folder;
// nothing above the Pg* stores ever sees libpq or a SQLSTATE.
//
// libpq directly rather than libpqxx: Stork needs a handful of calls
// (connect, prepare, execute with text parameters, COPY, status checks),
// and libpq is the one C API every PostgreSQL packaging ships; a wrapper
// of ~200 lines costs less than a second C++ dependency with its own
// exception hierarchy to translate.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace stork::pg {

// A failure reported by libpq or by the server. sqlstate is the server's
// five-character code, empty when libpq failed on its own (the usual case
// of a lost connection).
class Failure : public std::runtime_error {
 public:
  Failure(const std::string& message, std::string sqlstate, bool connection_lost)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)), connection_lost_(connection_lost) {}
  const std::string& sqlstate() const { return sqlstate_; }
  bool connection_lost() const { return connection_lost_; }
  // Serialization failure or deadlock: the transaction may simply be run again.
  bool retryable() const { return sqlstate_ == "40001" || sqlstate_ == "40P01"; }

 private:
  std::string sqlstate_;
  bool connection_lost_;
};

// Statement parameters, sent as text (PostgreSQL casts them to the
// column's type), so one code path serves every type Stork stores.
class Params {
 public:
  Params() = default;
  template <typename... Ts>
  explicit Params(const Ts&... values) {
    (add(values), ...);
  }
  Params& add(std::int64_t v) { return push(std::to_string(v)); }
  Params& add(int v) { return push(std::to_string(v)); }
  Params& add(bool v) { return push(v ? "t" : "f"); }
  Params& add(std::string_view v) { return push(std::string(v)); }
  Params& add(const std::string& v) { return push(v); }
  Params& add(const char* v) { return push(v); }
  Params& add(std::nullopt_t) {
    values_.emplace_back();
    null_.push_back(true);
    return *this;
  }
  template <typename T>
  Params& add(const std::optional<T>& v) {
    return v ? add(*v) : add(std::nullopt);
  }

  int size() const { return static_cast<int>(values_.size()); }
  // Pointers into this object: valid while it lives and is not changed.
  std::vector<const char*> pointers() const;

 private:
  Params& push(std::string v) {
    values_.push_back(std::move(v));
    null_.push_back(false);
    return *this;
  }
  std::vector<std::string> values_;
  std::vector<bool> null_;
};

class Result {
 public:
  explicit Result(pg_result* r);
  ~Result();
  Result(Result&& other) noexcept : r_(other.r_) { other.r_ = nullptr; }
  Result& operator=(Result&&) = delete;
  Result(const Result&) = delete;

  int rows() const;
  bool is_null(int row, int col) const;
  std::string_view text(int row, int col) const;
  std::string string(int row, int col) const { return std::string(text(row, col)); }
  std::int64_t int64(int row, int col) const;
  bool boolean(int row, int col) const { return text(row, col) == "t"; }
  // Rows an INSERT/UPDATE/DELETE changed.
  std::int64_t affected() const;

 private:
  pg_result* r_;
};

class Connection {
 public:
  // conninfo: a libpq URI or key=value string. Throws Failure.
  explicit Connection(const std::string& conninfo);

  // Called while a connection is being opened, each time libpq waits for
  // the server: waits until `socket` is readable (writable when `write`)
  // and returns true, or returns false to give up.
  using ConnectWait = std::function<bool(int socket, bool write)>;
  // Opens a connection without blocking inside libpq, so that a thread
  // that must stop promptly (a change listener) can give up on a server
  // that does not answer; with TCP keepalives, so that a connection that
  // stays idle for hours still notices a peer that went away. Throws
  // Failure (connection_lost), also when wait gives up.
  Connection(const std::string& conninfo, const ConnectWait& wait);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement with parameters, prepared on this connection the first
  // time its text is seen (a request re-binds; the server plans once).
  Result query(const std::string& sql, const Params& params = {});
  // Plain SQL, possibly several statements, no parameters (BEGIN, COMMIT,
  // migrations).
  Result exec(const std::string& sql);

  // Bulk load: `COPY table (cols) FROM STDIN` fed with rows in text format
  // (tab-separated, newline-terminated, already escaped). Returns rows loaded.
  std::int64_t copy_in(const std::string& copy_sql, const std::string& rows);

  // False once libpq has seen the connection fail.
  bool ok() const;
  // Whether the connection sits outside any transaction.
  bool idle() const;
  // Reads whatever the server sent while the connection was unused: a
  // server that shut down or restarted closed it, and this notices without
  // sending anything. Returns ok().
  bool check_alive();

  // For a listener (LISTEN) waiting with poll(): the connection's socket.
  int socket() const;
  // Reads what the server sent, without blocking: call when socket() is
  // readable. Returns ok(): false once the connection failed.
  bool consume_input();
  // The payload of the next notification already read (by consume_input
  // or during a statement), on any channel this connection listens to.
  std::optional<std::string> take_notification();

 private:
  Result checked(pg_result* r, const char* what);
  // Throws the failure of an opening connection, after closing it.
  [[noreturn]] void fail_to_connect();
  void drop_notices();

  pg_conn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
};

}  // namespace stork::pg
