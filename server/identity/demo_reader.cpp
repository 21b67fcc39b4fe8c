#include "identity/demo_reader.hpp"

#include "sessions/token.hpp"

#include <jwt.h>
#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdlib>
#include <memory>

namespace stork {
namespace {

struct KeyPair {
  std::string private_pem;
  std::string public_pem;
};

std::optional<KeyPair> make_p256_key() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!key) return std::nullopt;
  const auto pem = [&key](bool priv) -> std::string {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio) return {};
    const int ok = priv ? PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
                        : PEM_write_bio_PUBKEY(bio.get(), key.get());
    if (ok != 1) return {};
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
  };
  KeyPair pair{pem(true), pem(false)};
  if (pair.private_pem.empty() || pair.public_pem.empty()) return std::nullopt;
  return pair;
}

}  // namespace

DemoReaderBackend::DemoReaderBackend(IdentityStore& store, std::string publisher, std::string audience)
    : publisher_(std::move(publisher)), audience_(std::move(audience)) {
  const auto pair = make_p256_key();
  if (!pair) return;
  store.remove_key(kKid);
  if (store.add_key({kKid, publisher_, JwsAlg::es256, pair->public_pem, unix_now()}) != KeyAdded::added) return;
  private_pem_ = pair->private_pem;
}

std::optional<std::string> DemoReaderBackend::mint(const DemoReader& reader, UnixSeconds now) const {
  if (!ready()) return std::nullopt;
  const nlohmann::json claims = {{"iss", publisher_},          {"aud", audience_},
                                 {"sub", reader.sub},          {"iat", now},
                                 {"exp", now + 300},           {"jti", random_hex(16)},
                                 {"given_name", reader.given_name}, {"family_name", reader.family_name}};
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) return std::nullopt;
  std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt(raw, jwt_free);
  if (jwt_add_grants_json(jwt.get(), claims.dump().c_str()) != 0 || jwt_add_header(jwt.get(), "kid", kKid) != 0 ||
      jwt_set_alg(jwt.get(), JWT_ALG_ES256, reinterpret_cast<const unsigned char*>(private_pem_.data()),
                  static_cast<int>(private_pem_.size())) != 0) {
    return std::nullopt;
  }
  char* text = jwt_encode_str(jwt.get());
  if (!text) return std::nullopt;
  std::string token(text);
  std::free(text);
  return token;
}

}  // namespace stork
