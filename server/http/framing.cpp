#include "http/framing.hpp"

#include <algorithm>
#include <memory>

namespace stork {
namespace {

// A request is handled start to finish on one worker thread, so its
// framing can live in a thread-local between the library's callbacks.
thread_local RequestFraming current{};

// The methods whose body the library reads before routing.
bool library_reads_body(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// Without a length the library would read these until the peer closes.
bool needs_length(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

std::optional<std::uint64_t> parse_length(const std::string& text) {
  const bool numeric = !text.empty() && text.size() <= 12 &&
                       std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!numeric) return std::nullopt;
  return std::stoull(text);
}

Refusal unconsumable(int status, std::string code, std::string message) {
  current.unconsumable = true;
  return Refusal{status, std::move(code), std::move(message)};
}

}  // namespace

std::optional<Refusal> inspect_framing(const httplib::Request& req) {
  current = RequestFraming{};
  current.inspected = true;
  if (req.has_header("Transfer-Encoding")) {
    // A chunked body is not bounded by the library's payload limit, and
    // skipping it would mean parsing it: refused, and the connection dropped.
    return unconsumable(411, "length_required", "Send a Content-Length; chunked bodies are refused.");
  }
  const std::size_t lengths = req.get_header_value_count("Content-Length");
  if (lengths > 1) {
    return unconsumable(400, "bad_request", "The request has more than one Content-Length.");
  }
  if (lengths == 1) {
    const auto length = parse_length(req.get_header_value("Content-Length"));
    if (!length) return unconsumable(400, "bad_request", "The Content-Length header is malformed.");
    current.declared_length = *length;
  } else if (needs_length(req.method)) {
    return unconsumable(411, "length_required", "Send a Content-Length.");
  }
  if (current.declared_length == 0) return std::nullopt;

  if (!library_reads_body(req.method)) {
    return unconsumable(400, "bad_request", "A " + req.method + " request carries no body.");
  }
  const std::string encoding = req.get_header_value("Content-Encoding");
  if (!encoding.empty() && encoding != "identity") {
    // The library would inflate it with no bound on the result.
    return unconsumable(415, "unsupported_media_type", "Compressed request bodies are refused.");
  }
  if (req.is_multipart_form_data()) {
    // The library would run its multipart parser over it before any route
    // is chosen; Stork takes JSON only.
    return unconsumable(415, "unsupported_media_type", "Send the body as application/json.");
  }
  if (current.declared_length > kMaxSkippedBodyBytes) {
    return unconsumable(413, "payload_too_large", "The request body is too large.");
  }
  // Over the payload limit but small enough to skip: the library reads it
  // past and answers 413 itself.
  return std::nullopt;
}

bool body_will_be_read() {
  return current.inspected && !current.unconsumable && current.declared_length > 0 &&
         current.declared_length <= kMaxSkippedBodyBytes;
}

void defer_refusal(Refusal refusal) { current.deferred = std::move(refusal); }

std::optional<Refusal> take_deferred_refusal() {
  std::optional<Refusal> out = std::move(current.deferred);
  current.deferred.reset();
  return out;
}

bool request_fully_read(const httplib::Request& req) {
  if (!current.inspected || current.unconsumable) return false;
  if (current.declared_length == 0) return true;
  return req.body.size() == current.declared_length;
}

void close_connection_after(const httplib::Request& req, httplib::Response& res) {
  res.headers.erase("Keep-Alive");
  res.headers.erase("Connection");
  res.set_header("Connection", "close");

  const bool head = req.method == "HEAD";
  auto body = std::make_shared<const std::string>(std::move(res.body));
  res.body.clear();
  if (!head || !res.has_header("Content-Length")) {
    res.headers.erase("Content-Length");
    res.set_header("Content-Length", std::to_string(body->size()));
  }
  const bool typed = res.has_header("Content-Type");
  const std::string type = res.get_header_value("Content-Type");
  res.headers.erase("Content-Type");
  // The library drops a connection only when writing a response fails: the
  // provider writes the whole body, then reports failure.
  res.set_content_provider(type, [body, head](std::size_t, httplib::DataSink& sink) {
    if (!head && !body->empty()) sink.write(body->data(), body->size());
    return false;
  });
  if (!typed) res.headers.erase("Content-Type");
  if (head) {
    // The library calls no provider for HEAD. The request object is the
    // library's own non-const local (handed to us as const): calling it a
    // GET makes the library run the provider, which writes nothing.
    const_cast<httplib::Request&>(req).method = "GET";
  }
}

void serve_whole_representations(const httplib::Request& req) {
  // The request is the library's own non-const local, handed to the
  // pre-routing handler as const.
  const_cast<httplib::Request&>(req).ranges.clear();
}

void end_request_framing() { current = RequestFraming{}; }

void apply_framing_rules(httplib::Server& server) {
  server.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    serve_whole_representations(req);
    if (const auto refusal = inspect_framing(req)) {
      res.status = refusal->status;
      res.set_content(refusal->message + "\n", "text/plain; charset=utf-8");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!request_fully_read(req)) close_connection_after(req, res);
  });
  server.set_logger([](const httplib::Request&, const httplib::Response&) { end_request_framing(); });
}

}  // namespace stork
