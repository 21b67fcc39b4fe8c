#include "catalog/product_row.hpp"

#include "http/static_files.hpp"
#include "text.hpp"

#include <algorithm>
#include <array>

namespace stork {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string https_url_violation(std::string_view url) {
  constexpr std::string_view scheme = "https://";
  const std::string_view rest = url.substr(scheme.size());
  const auto authority_end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, authority_end);
  if (authority.empty()) return "the URL has no host";
  if (authority.find('@') != std::string_view::npos) return "the URL must not carry a user name";
  for (const char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' ||
        c == '`') {
      return "the URL has a character that must be percent-encoded";
    }
  }
  std::string_view host = authority;
  if (host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) return "the URL's host is malformed";
    host = host.substr(0, close + 1);
  } else if (const auto colon = host.find(':'); colon != std::string_view::npos) {
    const std::string_view port = host.substr(colon + 1);
    host = host.substr(0, colon);
    if (port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return "the URL's port is malformed";
    }
  }
  if (host.empty() || host.front() == '.' || host.front() == '-') return "the URL's host is malformed";
  return {};
}

bool is_image_file_name(std::string_view path) {
  constexpr std::array<std::string_view, 7> kExtensions = {".png", ".jpg", ".jpeg", ".gif",
                                                           ".webp", ".svg", ".avif"};
  std::string lower(path);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::any_of(kExtensions.begin(), kExtensions.end(), [&](std::string_view ext) {
    return lower.size() > ext.size() && lower.compare(lower.size() - ext.size(), ext.size(), ext) == 0;
  });
}

}  // namespace

std::string product_text_violation(std::string_view text) {
  if (text.empty()) return "is empty";
  const auto chars = utf8_chars(text);
  if (!chars) return "is not valid UTF-8";
  if (*chars > kMaxProductTextChars) {
    return "has " + std::to_string(*chars) + " characters; at most " +
           std::to_string(kMaxProductTextChars) + " are allowed";
  }
  if (has_control_chars(text)) return "contains a control character (a line break or tab?)";
  if (is_space(text.front()) || is_space(text.back())) return "starts or ends with a space";
  return {};
}

std::string product_image_violation(std::string_view image,
                                    const std::filesystem::path& assets_root) {
  if (image.empty()) return "is empty";
  if (image.size() > kMaxImageUrlBytes) return "is longer than 2048 bytes";
  if (image.rfind("https://", 0) == 0) return https_url_violation(image);
  constexpr std::string_view assets = "/assets/";
  if (image.rfind(assets, 0) != 0) {
    return "must be an https:// URL or a path under /assets/, got '" +
           std::string(image.substr(0, 60)) + "'";
  }
  const std::string_view relative = image.substr(assets.size());
  if (!is_safe_relative_path(relative)) return "is not a plain path under /assets/";
  if (!is_image_file_name(relative)) {
    return "must name an image file (.png, .jpg, .jpeg, .gif, .webp, .svg, .avif)";
  }
  if (!assets_root.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(assets_root / std::string(relative), ec)) {
      return "no file " + std::string(relative) + " under the assets root " + assets_root.string();
    }
  }
  return {};
}

}  // namespace stork
