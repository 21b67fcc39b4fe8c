#pragma once
// Files served from a directory: never outside it (no "..", no symlink
// escape), with a content type, an ETag and an in-memory cache.

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace stork {

struct StaticFile {
  std::string content;
  std::string content_type;
  std::string etag;
};

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);

  // relative: a request path below the root, e.g. "img/camera.svg".
  // nullopt when it does not name a regular file inside the root.
  std::shared_ptr<const StaticFile> get(std::string_view relative);

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  std::mutex mutex_;
  struct Cached {
    std::filesystem::file_time_type mtime;
    std::shared_ptr<const StaticFile> file;
  };
  std::map<std::string, Cached, std::less<>> cache_;
};

std::string content_type_for(const std::filesystem::path& path);

// Whether a relative request path is acceptable before touching the disk.
bool is_safe_relative_path(std::string_view relative);

}  // namespace stork
