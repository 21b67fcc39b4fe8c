#include "postgresql/pg_connection.hpp"

#include <libpq-fe.h>

#include <charconv>

namespace stork::pg {
namespace {

std::string first_line(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) out.push_back(null_[i] ? nullptr : values_[i].c_str());
  return out;
}

Result::Result(pg_result* r) : r_(r) {}
Result::~Result() {
  if (r_) PQclear(r_);
}
int Result::rows() const { return PQntuples(r_); }
bool Result::is_null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
std::string_view Result::text(int row, int col) const {
  return {PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col))};
}
std::int64_t Result::int64(int row, int col) const {
  const std::string_view t = text(row, col);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size()) {
    throw Failure("not an integer in column " + std::to_string(col), "", false);
  }
  return v;
}
std::int64_t Result::affected() const {
  const char* n = PQcmdTuples(r_);
  return n && *n ? std::stoll(n) : 0;
}

Connection::Connection(const std::string& conninfo) {
  // Earlier keywords are defaults that the caller's conninfo (expanded from
  // dbname) overrides: a dead host fails in seconds, not minutes.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"5", "stork", conninfo.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (!conn_) throw Failure("out of memory connecting to PostgreSQL", "", true);
  if (PQstatus(conn_) != CONNECTION_OK) fail_to_connect();
  drop_notices();
}

Connection::Connection(const std::string& conninfo, const ConnectWait& wait) {
  // Keepalives: probe after 5 s of silence, every 2 s, give up after 3
  // unanswered probes (ignored on a Unix socket, where the kernel knows).
  const char* keys[] = {"application_name", "keepalives", "keepalives_idle", "keepalives_interval",
                        "keepalives_count", "dbname", nullptr};
  const char* values[] = {"stork", "1", "5", "2", "3", conninfo.c_str(), nullptr};
  conn_ = PQconnectStartParams(keys, values, 1);
  if (!conn_) throw Failure("out of memory connecting to PostgreSQL", "", true);
  if (PQstatus(conn_) == CONNECTION_BAD) fail_to_connect();
  // As if PQconnectPoll had last answered "writing" (libpq's protocol).
  for (PostgresPollingStatusType step = PGRES_POLLING_WRITING; step != PGRES_POLLING_OK;
       step = PQconnectPoll(conn_)) {
    if (step == PGRES_POLLING_FAILED) fail_to_connect();
    if (!wait(PQsocket(conn_), step == PGRES_POLLING_WRITING)) {
      PQfinish(conn_);
      throw Failure("cannot connect to PostgreSQL: gave up waiting", "", true);
    }
  }
  drop_notices();
}

void Connection::fail_to_connect() {
  const std::string message = first_line(PQerrorMessage(conn_));
  PQfinish(conn_);
  throw Failure("cannot connect to PostgreSQL: " + message, "", true);
}

void Connection::drop_notices() {
  // Notices ("relation already exists, skipping") are for people at a psql
  // prompt; libpq would print them on standard error.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::ok() const { return PQstatus(conn_) == CONNECTION_OK; }
bool Connection::idle() const { return PQtransactionStatus(conn_) == PQTRANS_IDLE; }

bool Connection::check_alive() {
  if (!ok()) return false;
  // Non-blocking read of anything pending: a closed socket turns the
  // status to CONNECTION_BAD. A stray notice is consumed and dropped.
  PQconsumeInput(conn_);
  while (PGresult* r = PQgetResult(conn_)) PQclear(r);
  return ok();
}

int Connection::socket() const { return PQsocket(conn_); }

bool Connection::consume_input() { return PQconsumeInput(conn_) == 1 && ok(); }

std::optional<std::string> Connection::take_notification() {
  PGnotify* n = PQnotifies(conn_);
  if (!n) return std::nullopt;
  std::string payload = n->extra ? n->extra : "";
  PQfreemem(n);
  return payload;
}

Result Connection::checked(pg_result* r, const char* what) {
  Result result(r);
  const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN) {
    return result;
  }
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string message =
      first_line(r ? PQresultErrorMessage(r) : PQerrorMessage(conn_));
  throw Failure(std::string(what) + ": " + (message.empty() ? first_line(PQerrorMessage(conn_)) : message),
                state ? state : "", !ok() || (state && std::string_view(state).substr(0, 2) == "08"));
}

Result Connection::query(const std::string& sql, const Params& params) {
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size());
    checked(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), "prepare");
    found = prepared_.emplace(sql, std::move(name)).first;
  }
  const auto values = params.pointers();
  return checked(PQexecPrepared(conn_, found->second.c_str(), params.size(), values.data(), nullptr,
                                nullptr, 0),
                 "query");
}

Result Connection::exec(const std::string& sql) { return checked(PQexec(conn_, sql.c_str()), "exec"); }

std::int64_t Connection::copy_in(const std::string& copy_sql, const std::string& rows) {
  checked(PQexec(conn_, copy_sql.c_str()), "copy");
  if (PQputCopyData(conn_, rows.data(), static_cast<int>(rows.size())) != 1 ||
      PQputCopyEnd(conn_, nullptr) != 1) {
    throw Failure("copy: " + first_line(PQerrorMessage(conn_)), "", !ok());
  }
  Result done = checked(PQgetResult(conn_), "copy");
  while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
  return done.affected();
}

}  // namespace stork::pg
