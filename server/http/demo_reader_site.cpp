#include "http/demo_reader_site.hpp"

namespace stork {
namespace {

constexpr const char* kCookie = "shutterbug_reader";

bool signed_in(const httplib::Request& req) {
  const std::string cookies = req.get_header_value("Cookie");
  return cookies.find(std::string(kCookie) + "=jane") != std::string::npos;
}

// A path of this site, plain enough to go into HTML and Location as is.
std::string plain_path(const std::string& path) {
  const bool plain = path.size() < 64 && path.rfind("/", 0) == 0 &&
                     path.find_first_not_of("abcdefghijklmnopqrstuvwxyz.-/") == std::string::npos &&
                     path.find("//") == std::string::npos;
  return plain ? path : "/";
}

// Back to the page the form was on.
std::string next_page(const httplib::Request& req) {
  return plain_path(req.has_param("next") ? req.get_param_value("next") : "/");
}

void replace_all(std::string& text, const std::string& placeholder, const std::string& value) {
  for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size())) {
    text.replace(at, placeholder.size(), value);
  }
}

}  // namespace

void register_demo_reader_routes(httplib::Server& server, const DemoReaderBackend& backend, bool secure) {
  const std::string attributes = std::string("; Path=/; HttpOnly; SameSite=Lax") + (secure ? "; Secure" : "");
  server.Post("/reader/sign-in", [attributes, &backend](const httplib::Request& req, httplib::Response& res) {
    if (!backend.ready()) {
      res.status = 404;
      return;
    }
    res.set_header("Set-Cookie", std::string(kCookie) + "=jane" + attributes);
    res.set_redirect(next_page(req), 303);
  });
  server.Post("/reader/sign-out", [attributes](const httplib::Request& req, httplib::Response& res) {
    res.set_header("Set-Cookie", std::string(kCookie) + "=" + attributes + "; Max-Age=0");
    const std::string next = next_page(req);
    res.set_redirect(next + (next.find('?') == std::string::npos ? "?" : "&") + "signed-out=1", 303);
  });
}

void fill_demo_reader(std::string& page, const httplib::Request& req, const DemoReaderBackend* backend) {
  std::string reader, identity;
  const std::string here = plain_path(req.path);
  if (backend && backend->ready()) {
    const DemoReader jane;
    if (signed_in(req)) {
      // A fresh token per page view, as a publisher's server renders it.
      if (const auto token = backend->mint(jane, unix_now())) identity = " data-identity-token=\"" + *token + "\"";
      reader = "<form class=\"reader\" method=\"post\" action=\"/reader/sign-out\"><span>Signed in as " +
               jane.given_name + " " + jane.family_name +
               "</span> <input type=\"hidden\" name=\"next\" value=\"" + here +
               "\"><button type=\"submit\">Sign out</button></form>";
    } else {
      reader = "<form class=\"reader\" method=\"post\" action=\"/reader/sign-in\"><input type=\"hidden\" "
               "name=\"next\" value=\"" + here + "\"><button type=\"submit\">Sign in as " +
               jane.given_name + " " + jane.family_name + "</button></form>";
      // Just signed out of the site: out of the widget too.
      if (req.has_param("signed-out")) {
        reader += "<script>window.Stork = window.Stork || { q: [], identify(t) { this.q.push(['identify', t]); }, "
                  "signOut() { this.q.push(['signOut']); } }; window.Stork.signOut();</script>";
      }
    }
  }
  replace_all(page, "{{READER}}", reader);
  replace_all(page, "{{STORK_IDENTITY}}", identity);
}

}  // namespace stork
