#include "cli/demo_certificate.hpp"

#include "openssl_ptr.hpp"
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace stork {
namespace {

using Key = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using Cert = OpenSslPtr<X509, X509_free>;
using Ext = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("cannot make the demo certificate: ") + what);
}

File open_file(const std::string& path, const char* mode) {
  File f(std::fopen(path.c_str(), mode));
  return f;
}

std::string fingerprint(X509* cert) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  check(X509_digest(cert, EVP_sha256(), digest, &length) == 1, "digest");
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    if (i) out += ':';
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xF];
  }
  return out;
}

void add_extension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  check(ext != nullptr && X509_add_ext(cert, ext.get(), -1) == 1, "extension");
}

// The existing certificate if it runs for more than another day.
Cert still_valid(const std::string& cert_path, const std::string& key_path) {
  File kf = open_file(key_path, "r");
  File cf = open_file(cert_path, "r");
  if (!kf || !cf) return nullptr;
  Cert cert(PEM_read_X509(cf.get(), nullptr, nullptr, nullptr));
  Key key(PEM_read_PrivateKey(kf.get(), nullptr, nullptr, nullptr));
  if (!cert || !key || X509_check_private_key(cert.get(), key.get()) != 1) return nullptr;
  const time_t tomorrow = time(nullptr) + 24 * 3600;
  if (X509_cmp_time(X509_get0_notAfter(cert.get()), const_cast<time_t*>(&tomorrow)) <= 0) return nullptr;
  return cert;
}

}  // namespace

DemoCertificate demo_certificate(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  DemoCertificate out;
  out.cert_path = (dir / "cert.pem").string();
  out.key_path = (dir / "key.pem").string();
  if (Cert existing = still_valid(out.cert_path, out.key_path)) {
    out.sha256_fingerprint = fingerprint(existing.get());
    out.reused = true;
    return out;
  }

  Key key(EVP_EC_gen("P-256"));
  check(key != nullptr, "key");
  Cert cert(X509_new());
  check(cert != nullptr, "certificate");
  check(X509_set_version(cert.get(), 2) == 1, "version");
  unsigned char serial[16];
  check(RAND_bytes(serial, sizeof serial) == 1, "serial");
  serial[0] &= 0x7F;  // a positive serial number
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  check(bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) != nullptr, "serial");
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("Stork demo (localhost)"), -1, -1, 0);
  check(X509_set_issuer_name(cert.get(), name) == 1, "issuer");
  check(X509_set_pubkey(cert.get(), key.get()) == 1, "public key");
  add_extension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
  check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "signature");

  {
    // The key is readable by its owner only, from the moment it exists.
    const mode_t old_mask = umask(077);
    File kf = open_file(out.key_path, "w");
    umask(old_mask);
    check(kf != nullptr, "cannot write the key file");
    check(PEM_write_PrivateKey(kf.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1, "key file");
  }
  {
    File cf = open_file(out.cert_path, "w");
    check(cf != nullptr, "cannot write the certificate file");
    check(PEM_write_X509(cf.get(), cert.get()) == 1, "certificate file");
  }
  out.sha256_fingerprint = fingerprint(cert.get());
  return out;
}

}  // namespace stork
