#pragma once
// Request framing: the rule that no response is written while bytes of its
// request are still unread on the connection. Bytes left unread would be
// parsed as the next request on the same connection (request desync), so a
// hostile page could hide a second request inside the body of a first one
// that Stork refuses.
//
// How Stork keeps the rule with cpp-httplib 0.11.4 (read in its source):
// - The library reads a body only for POST, PUT, PATCH and DELETE, after
//   the pre-routing handler and before the route handler. A refusal that
//   can wait for the (bounded) body is therefore decided before routing
//   but answered by the route wrapper, once the body has been read.
// - It reads a Content-Length body over the payload limit by skipping it,
//   but it cannot bound a chunked body, decompresses a compressed one
//   without limit, parses a multipart one before routing, reads a body
//   without a length until the peer closes, and never reads the body of a
//   GET, HEAD or OPTIONS. Such requests are
//   refused at once and the connection is not used again.
// - It ignores `Connection: close` in a response: it closes a connection
//   only when writing a response fails. So a response after which the
//   connection must not be reused writes its body through a content
//   provider that reports failure once the body is out.

#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>

namespace stork {

// A request body larger than the payload limit but at most this is skipped
// by the library (so the 413 arrives cleanly); a larger one is refused from
// its Content-Length alone.
inline constexpr std::uint64_t kMaxSkippedBodyBytes = 1024 * 1024;

// Why a request is refused, before or after its body is read.
struct Refusal {
  int status = 400;
  std::string code;
  std::string message;
};

// What the edge learnt about the request this worker thread is handling.
// Set before routing, forgotten once the response is written.
struct RequestFraming {
  bool inspected = false;          // the pre-routing check ran for this request
  bool unconsumable = false;       // bytes of it will stay unread
  std::uint64_t declared_length = 0;
  std::optional<Refusal> deferred;  // to answer once the body is read
};

// Looks at the request head (before routing). Returns a refusal for
// framing Stork cannot consume safely; the connection is then closed after
// the answer. Records what it saw for the rest of the request.
std::optional<Refusal> inspect_framing(const httplib::Request& req);

// Whether the library is going to read this request's body (a body-taking
// method with a length within the limits), so a refusal may wait for it.
bool body_will_be_read();

// A refusal decided before routing, answered by the route wrapper after
// the body has been read.
void defer_refusal(Refusal refusal);
std::optional<Refusal> take_deferred_refusal();

// Whether every byte of the request has been read. False for requests the
// library refused before Stork saw them (bad request line, URI or header
// too long, bad Range), for unconsumable framing, and for a body that was
// not read in full (skipped over the limit, timed out, never read).
bool request_fully_read(const httplib::Request& req);

// Makes the response the last one on its connection: it is written in
// full, then the library drops the connection.
void close_connection_after(const httplib::Request& req, httplib::Response& res);

// The library parses a Range header before Stork sees the request and
// would apply it to any response with a body (thousands of parts of one
// file in one multipart answer). Stork serves whole representations only,
// which HTTP allows: called before routing, this drops the parsed ranges.
void serve_whole_representations(const httplib::Request& req);

// Forgets the request (the logger calls it once the response is written).
void end_request_framing();

// For a listener without the widget's edge (metrics, demo publisher site):
// the rules above alone, as its pre- and post-routing handlers and logger.
void apply_framing_rules(httplib::Server& server);

}  // namespace stork
