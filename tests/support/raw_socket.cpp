#include "raw_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>

namespace stork::test {
namespace {

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// An interim 100 Continue is followed by the real response.
std::string without_interim(std::string raw) {
  while (raw.rfind("HTTP/1.1 100", 0) == 0 && raw.find("\r\n\r\n") != std::string::npos) {
    raw.erase(0, raw.find("\r\n\r\n") + 4);
  }
  return raw;
}

// Whether `raw` holds one complete response (head, and a body of the
// declared length).
bool complete_response(const std::string& received) {
  const std::string raw = without_interim(received);
  if (raw.empty()) return false;
  const auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  std::string head = raw.substr(0, end);
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto at = head.find("\r\ncontent-length:");
  if (at == std::string::npos) return true;
  const auto length = std::strtoull(head.c_str() + at + 17, nullptr, 10);
  return raw.size() >= end + 4 + length;
}

// Appends what comes on fd to out until done(out), the peer closes or the
// deadline passes.
template <typename Done>
void read_into(int fd, std::string& out, std::chrono::milliseconds wait, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline && !done(out)) {
    pollfd p{fd, POLLIN, 0};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) break;
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace

RawConnection::RawConnection(int port) : fd_(connect_loopback(port)) {}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(const std::string& bytes) { return fd_ >= 0 && send_all(fd_, bytes); }

bool RawConnection::closed_by_peer_within(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    if (::recv(fd_, buf, sizeof buf, 0) <= 0) return true;
  }
  return false;
}

std::string RawConnection::read_until_closed(std::chrono::milliseconds wait) {
  std::string out;
  if (fd_ >= 0) read_into(fd_, out, wait, [](const std::string&) { return false; });
  return out;
}

std::string RawConnection::read_one_response(std::chrono::milliseconds wait) {
  std::string out;
  if (fd_ >= 0) read_into(fd_, out, wait, complete_response);
  return out;
}

std::string raw_exchange(int port, const std::string& request, std::chrono::milliseconds wait) {
  RawConnection connection(port);
  if (!connection.connected()) return {};
  connection.send(request);  // the server may answer and close before reading it all
  return connection.read_one_response(wait);
}

int status_of(const std::string& raw_response) {
  const std::string raw = without_interim(raw_response);
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) return 0;
  return std::atoi(raw.substr(9, 3).c_str());
}

}  // namespace stork::test
