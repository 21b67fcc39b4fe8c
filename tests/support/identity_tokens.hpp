#pragma once
// Identity tokens for tests, minted the way a publisher's backend would:
// with libjwt, an implementation independent of Stork's verifier, so a
// token both accept is a real JWS. Also a P-256 key pair made on the spot,
// and raw JWS assembly for the tokens no honest library makes (alg none,
// tampered parts, algorithm confusion).

#include "identity/jws.hpp"

#include <jwt.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

namespace stork::test {

struct P256KeyPair {
  std::string private_pem;  // PKCS#8
  std::string public_pem;   // SubjectPublicKeyInfo
};

inline P256KeyPair make_p256_key_pair() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (!key) throw std::runtime_error("EVP_EC_gen failed");
  const auto pem = [key](bool priv) {
    BIO* bio = BIO_new(BIO_s_mem());
    const int ok = priv ? PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr)
                        : PEM_write_bio_PUBKEY(bio, key);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    if (ok != 1) throw std::runtime_error("PEM export failed");
    return out;
  };
  P256KeyPair pair{pem(true), pem(false)};
  EVP_PKEY_free(key);
  return pair;
}

// The claims of a good token from `publisher` for Stork at `audience`,
// issued at `iat`, valid for 300 s.
inline nlohmann::json good_claims(const std::string& publisher, const std::string& audience,
                                  std::int64_t iat, const std::string& sub = "reader-42") {
  static int serial = 0;
  return {{"iss", publisher},
          {"aud", audience},
          {"sub", sub},
          {"iat", iat},
          {"exp", iat + 300},
          {"jti", "jti-" + std::to_string(iat) + "-" + std::to_string(++serial)},
          {"given_name", "Ada"},
          {"family_name", "Lovelace"}};
}

// Signs claims with libjwt: ES256 with a PEM private key, HS256 with a secret.
inline std::string mint(const std::string& alg, const std::string& kid, const std::string& key,
                        const nlohmann::json& claims) {
  jwt_t* jwt = nullptr;
  if (jwt_new(&jwt) != 0) throw std::runtime_error("jwt_new failed");
  std::unique_ptr<jwt_t, decltype(&jwt_free)> owner(jwt, jwt_free);
  const jwt_alg_t a = alg == "ES256" ? JWT_ALG_ES256 : JWT_ALG_HS256;
  if (jwt_add_grants_json(jwt, claims.dump().c_str()) != 0 ||
      jwt_add_header(jwt, "kid", kid.c_str()) != 0 ||
      jwt_set_alg(jwt, a, reinterpret_cast<const unsigned char*>(key.data()),
                  static_cast<int>(key.size())) != 0) {
    throw std::runtime_error("libjwt refused the token");
  }
  char* text = jwt_encode_str(jwt);
  if (!text) throw std::runtime_error("jwt_encode_str failed");
  std::string out(text);
  std::free(text);
  return out;
}

// header.payload from JSON texts, as a compact JWS's signing input.
inline std::string signing_input(const std::string& header, const std::string& payload) {
  return base64url_encode(header) + "." + base64url_encode(payload);
}

// An HS256 signature over input, keyed with any bytes (for confusion tests).
inline std::string hs256_sign(const std::string& key, const std::string& input) {
  unsigned char mac[32];
  unsigned int n = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &n);
  return base64url_encode(std::string(reinterpret_cast<char*>(mac), n));
}

}  // namespace stork::test
