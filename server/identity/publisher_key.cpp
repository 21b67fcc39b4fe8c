#include "identity/publisher_key.hpp"

#include "identity/jws.hpp"

#include "openssl_ptr.hpp"
#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <sodium.h>

#include <memory>

namespace stork {
namespace {

using Bio = OpenSslPtr<BIO, BIO_free>;
using Pkey = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using PkeyCtx = OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using ParamBuild = OpenSslPtr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using Params = OpenSslPtr<OSSL_PARAM, OSSL_PARAM_free>;

constexpr std::size_t kMaxKidBytes = 64;
constexpr std::size_t kP256CoordinateBytes = 32;

// A P-256 public key whose point is on the curve, as SPKI PEM; else the
// reason it is not one.
std::variant<Es256Key, std::string> checked_p256(Pkey key, std::string jwk_kid) {
  if (!key) return std::string("not a readable public key");
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC) return std::string("not an EC key (ES256 needs P-256)");
  char group[64] = {};
  std::size_t group_length = 0;
  if (EVP_PKEY_get_group_name(key.get(), group, sizeof group, &group_length) != 1 ||
      std::string_view(group, group_length) != "prime256v1") {
    return std::string("not a P-256 key (ES256 needs the curve P-256)");
  }
  PkeyCtx check(EVP_PKEY_CTX_new(key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return std::string("the public point is not valid");
  Bio out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_PUBKEY(out.get(), key.get()) != 1) return std::string("cannot encode the key");
  char* data = nullptr;
  const long n = BIO_get_mem_data(out.get(), &data);
  return Es256Key{std::string(data, static_cast<std::size_t>(n)), std::move(jwk_kid)};
}

std::variant<Es256Key, std::string> from_pem(std::string_view text) {
  if (text.find("PRIVATE KEY") != std::string_view::npos) {
    return std::string("this is a private key: give Stork only the public key");
  }
  Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) return std::string("out of memory");
  return checked_p256(Pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr)), {});
}

std::variant<Es256Key, std::string> from_jwk(std::string_view text) {
  const auto jwk = nlohmann::json::parse(text, nullptr, false);
  if (jwk.is_discarded() || !jwk.is_object()) return std::string("not a JSON object");
  const auto text_field = [&](const char* name) -> std::string {
    const auto it = jwk.find(name);
    return it != jwk.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (jwk.contains("d")) return std::string("this JWK holds a private key (\"d\"): give Stork only the public key");
  if (text_field("kty") != "EC" || text_field("crv") != "P-256") {
    return std::string("the JWK must have \"kty\": \"EC\" and \"crv\": \"P-256\"");
  }
  const auto x = base64url_decode(text_field("x"));
  const auto y = base64url_decode(text_field("y"));
  if (!x || !y || x->size() != kP256CoordinateBytes || y->size() != kP256CoordinateBytes) {
    return std::string("the JWK's \"x\" and \"y\" must be 32 bytes each, base64url");
  }
  const std::string kid = text_field("kid");
  // SEC 1 uncompressed point: 0x04 || x || y.
  const std::string point = std::string(1, '\x04') + *x + *y;
  ParamBuild build(OSSL_PARAM_BLD_new());
  if (!build ||
      OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return std::string("out of memory");
  }
  Params params(OSSL_PARAM_BLD_to_param(build.get()));
  PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return std::string("the JWK's point is not on P-256");
  }
  return checked_p256(Pkey(raw), kid);
}

}  // namespace

std::string_view alg_name(JwsAlg alg) { return alg == JwsAlg::es256 ? "ES256" : "HS256"; }

std::optional<JwsAlg> parse_alg(std::string_view name) {
  if (name == "ES256") return JwsAlg::es256;
  if (name == "HS256") return JwsAlg::hs256;
  return std::nullopt;
}

std::string kid_violation(std::string_view kid) {
  if (kid.empty() || kid.size() > kMaxKidBytes) return "A kid has 1 to 64 characters.";
  for (const char c : kid) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return "Use only A-Z, a-z, 0-9, '.', '_' and '-' in a kid.";
  }
  return {};
}

std::variant<Es256Key, std::string> read_es256_public_key(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') return from_jwk(text);
  return from_pem(text);
}

std::string new_hs256_secret() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  const std::string secret = base64url_encode(std::string_view(reinterpret_cast<char*>(bytes), sizeof bytes));
  sodium_memzero(bytes, sizeof bytes);
  return secret;
}

}  // namespace stork
