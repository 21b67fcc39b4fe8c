#pragma once
// `stork demo --https`: a self-signed certificate made on the spot for the
// demo's two sites (https://localhost:PORT and https://127.0.0.1:PORT), so
// that engines that refuse Secure cookies on http://localhost (WebKit)
// keep a sign-in too. Never for production: browsers warn, and the
// fingerprint is printed so the person accepting can check it.

#include <filesystem>
#include <string>

namespace stork {

struct DemoCertificate {
  std::string cert_path;
  std::string key_path;
  std::string sha256_fingerprint;  // "AB:CD:..." of the DER certificate
  bool reused = false;             // still valid from an earlier run
};

// Reuses dir/cert.pem and dir/key.pem while the certificate has more than a
// day to run (so an accepted warning stays accepted); otherwise makes a new
// P-256 key and a certificate for localhost, 127.0.0.1 and ::1, valid 30
// days. Throws std::runtime_error when it cannot.
DemoCertificate demo_certificate(const std::filesystem::path& dir);

}  // namespace stork
