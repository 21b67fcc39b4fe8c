#pragma once
// HTTP as bytes over a loopback socket, for what a client library would not
// send: malformed framing, slow clients, smuggled requests.

#include <chrono>
#include <string>

namespace stork::test {

// A connected socket that the caller keeps open (for slow clients).
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  RawConnection(RawConnection&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  bool send(const std::string& bytes);
  bool connected() const { return fd_ >= 0; }
  // Reads (and drops) whatever comes until the peer closes; false if it
  // has not closed within `wait`.
  bool closed_by_peer_within(std::chrono::milliseconds wait);
  // Reads until the peer closes or `wait` passes.
  std::string read_until_closed(std::chrono::milliseconds wait);
  // Reads until one complete response (head and a body of the declared
  // length) is in, the peer closes or `wait` passes.
  std::string read_one_response(std::chrono::milliseconds wait);

 private:
  int fd_ = -1;
};

// Sends bytes, reads one response as RawConnection::read_one_response.
// Returns what was read ("" when nothing).
std::string raw_exchange(int port, const std::string& request,
                         std::chrono::milliseconds wait = std::chrono::milliseconds(3000));
// Status code of a raw response, 0 when none.
int status_of(const std::string& raw_response);

}  // namespace stork::test
