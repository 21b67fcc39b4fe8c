#include "identity/jws.hpp"

#include "openssl_ptr.hpp"
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <sodium.h>

#include <memory>
#include <vector>

namespace stork {
namespace {

using Bio = OpenSslPtr<BIO, BIO_free>;
using Pkey = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using MdCtx = OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;
using EcSig = OpenSslPtr<ECDSA_SIG, ECDSA_SIG_free>;

constexpr std::size_t kEs256SignatureBytes = 64;
constexpr std::size_t kSha256Bytes = 32;

Pkey read_public_pem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return nullptr;
  return Pkey(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
}

// JOSE's fixed-width r||s as the DER ECDSA-Sig-Value OpenSSL verifies.
std::vector<unsigned char> der_signature(std::string_view raw) {
  EcSig sig(ECDSA_SIG_new());
  if (!sig) return {};
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  BIGNUM* r = BN_bin2bn(bytes, 32, nullptr);
  BIGNUM* s = BN_bin2bn(bytes + 32, 32, nullptr);
  if (!r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return {};
  }
  const int n = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (n <= 0) return {};
  std::vector<unsigned char> der(static_cast<std::size_t>(n));
  unsigned char* out = der.data();
  if (i2d_ECDSA_SIG(sig.get(), &out) != n) return {};
  return der;
}

}  // namespace

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out(text.size() * 3 / 4 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string base64url_encode(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool verify_es256(std::string_view spki_pem, std::string_view signing_input,
                  std::string_view signature) {
  if (signature.size() != kEs256SignatureBytes) return false;
  const Pkey key = read_public_pem(spki_pem);
  if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC) return false;
  const std::vector<unsigned char> der = der_signature(signature);
  if (der.empty()) return false;
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(ctx.get(), der.data(), der.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()),
                          signing_input.size()) == 1;
}

bool verify_hs256(std::string_view secret, std::string_view signing_input,
                  std::string_view signature) {
  if (signature.size() != kSha256Bytes || secret.empty()) return false;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  if (!HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
            reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac,
            &mac_length) ||
      mac_length != kSha256Bytes) {
    return false;
  }
  return CRYPTO_memcmp(mac, signature.data(), kSha256Bytes) == 0;
}

}  // namespace stork
