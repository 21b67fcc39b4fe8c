#include "http/static_files.hpp"

#include "sessions/token.hpp"

#include <sodium.h>

#include <fstream>
#include <sstream>

namespace stork {
namespace fs = std::filesystem;

StaticFiles::StaticFiles(fs::path root) {
  std::error_code ec;
  root_ = fs::weakly_canonical(root, ec);
  if (ec) root_ = std::move(root);
}

bool is_safe_relative_path(std::string_view relative) {
  if (relative.empty() || relative.size() > 256) return false;
  if (relative.front() == '/') return false;
  if (relative.find('\0') != std::string_view::npos) return false;
  if (relative.find('\\') != std::string_view::npos) return false;
  // No dot segments and no hidden files at any level.
  std::size_t start = 0;
  while (start <= relative.size()) {
    const std::size_t end = std::min(relative.find('/', start), relative.size());
    const std::string_view segment = relative.substr(start, end - start);
    if (segment.empty() || segment.front() == '.') return false;
    start = end + 1;
  }
  return true;
}

std::string content_type_for(const fs::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::shared_ptr<const StaticFile> StaticFiles::get(std::string_view relative) {
  if (!is_safe_relative_path(relative)) return nullptr;
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(root_ / fs::path(relative), ec);
  if (ec) return nullptr;
  // After resolving symlinks the file must still be below the root.
  const auto [root_end, _] = std::mismatch(root_.begin(), root_.end(), resolved.begin(), resolved.end());
  if (root_end != root_.end()) return nullptr;
  if (!fs::is_regular_file(resolved, ec)) return nullptr;
  const auto mtime = fs::last_write_time(resolved, ec);
  if (ec) return nullptr;

  const std::string key = resolved.string();
  {
    std::lock_guard lock(mutex_);
    const auto found = cache_.find(key);
    if (found != cache_.end() && found->second.mtime == mtime) return found->second.file;
  }
  std::ifstream in(resolved, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  auto file = std::make_shared<StaticFile>();
  file->content = buffer.str();
  file->content_type = content_type_for(resolved);
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(file->content.data()),
                     file->content.size(), nullptr, 0);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  file->etag = std::string("\"") + hex + "\"";
  std::lock_guard lock(mutex_);
  cache_[key] = Cached{mtime, file};
  return file;
}

}  // namespace stork
