// The identity token verifier: every refusal, tampering, clock edges. Keys
// and time are arguments, so nothing here touches a database or a clock.

#include "identity_tokens.hpp"

#include "identity/token_verifier.hpp"

#include <doctest/doctest.h>

#include <map>

namespace {

using namespace stork;
using nlohmann::json;

constexpr UnixSeconds kNow = 1'800'000'000;
const std::string kAudience = "https://widget.example";

struct Keys {
  test::P256KeyPair pair = test::make_p256_key_pair();
  std::string secret = new_hs256_secret();
  std::map<std::string, PublisherKey, std::less<>> by_kid = {
      {"acme-ec", {"acme-ec", "acme", JwsAlg::es256, pair.public_pem, 0}},
      {"acme-hs", {"acme-hs", "acme", JwsAlg::hs256, secret, 0}},
      {"beta-ec", {"beta-ec", "beta", JwsAlg::es256, test::make_p256_key_pair().public_pem, 0}},
  };
  KeyLookup lookup() const {
    return [this](std::string_view kid) -> std::optional<PublisherKey> {
      const auto it = by_kid.find(kid);
      if (it == by_kid.end()) return std::nullopt;
      return it->second;
    };
  }
};

const Keys& keys() {
  static const Keys k;
  return k;
}

std::variant<IdentityClaims, IdentityRefusal> verify(const std::string& token, UnixSeconds now = kNow) {
  return verify_identity_token(token, keys().lookup(), VerifierPolicy{kAudience}, now);
}

IdentityRefusal refusal_of(const std::string& token, UnixSeconds now = kNow) {
  const auto result = verify(token, now);
  REQUIRE_MESSAGE(std::holds_alternative<IdentityRefusal>(result), "the token was accepted");
  return std::get<IdentityRefusal>(result);
}

std::string es256(const json& claims, const std::string& kid = "acme-ec") {
  return test::mint("ES256", kid, keys().pair.private_pem, claims);
}
std::string hs256(const json& claims, const std::string& kid = "acme-hs") {
  return test::mint("HS256", kid, keys().secret, claims);
}
json claims(UnixSeconds iat = kNow) { return test::good_claims("acme", kAudience, iat); }

// Replaces one of the three parts of a compact JWS.
std::string with_part(const std::string& token, int part, const std::string& replacement) {
  const auto d1 = token.find('.');
  const auto d2 = token.find('.', d1 + 1);
  const std::string parts[3] = {token.substr(0, d1), token.substr(d1 + 1, d2 - d1 - 1), token.substr(d2 + 1)};
  std::string out;
  for (int i = 0; i < 3; ++i) out += (i ? "." : "") + (i == part ? replacement : parts[i]);
  return out;
}

}  // namespace

TEST_CASE("identity token: a good ES256 token and a good HS256 token give their claims") {
  for (const std::string& token : {es256(claims()), hs256(claims())}) {
    const auto result = verify(token);
    REQUIRE(std::holds_alternative<IdentityClaims>(result));
    const auto& c = std::get<IdentityClaims>(result);
    CHECK(c.publisher == "acme");
    CHECK(c.subject == "reader-42");
    CHECK(c.given_name == "Ada");
    CHECK(c.family_name == "Lovelace");
    CHECK(c.expires_at == kNow + 300);
    CHECK_FALSE(c.jti.empty());
  }
}

TEST_CASE("identity token: aud may be a list that holds Stork's origin") {
  json c = claims();
  c["aud"] = json::array({"https://other.example", kAudience});
  CHECK(std::holds_alternative<IdentityClaims>(verify(es256(c))));
  c["aud"] = json::array({"https://other.example"});
  CHECK(refusal_of(es256(c)) == IdentityRefusal::wrong_audience);
}

TEST_CASE("identity token: alg none is refused, in any spelling, signed or not") {
  const std::string payload = claims().dump();
  for (const char* alg : {"none", "None", "NONE"}) {
    const std::string header = json{{"alg", alg}, {"kid", "acme-ec"}}.dump();
    CHECK(refusal_of(test::signing_input(header, payload) + ".") == IdentityRefusal::alg_none);
    CHECK(refusal_of(test::signing_input(header, payload) + ".c2ln") == IdentityRefusal::alg_none);
  }
}

TEST_CASE("identity token: an HS256 token for an ES256 key is refused, even keyed with the public PEM") {
  // The algorithm-confusion attack: HMAC keyed with the public key's text.
  const std::string header = json{{"alg", "HS256"}, {"kid", "acme-ec"}}.dump();
  const std::string input = test::signing_input(header, claims().dump());
  CHECK(refusal_of(input + "." + test::hs256_sign(keys().pair.public_pem, input)) ==
        IdentityRefusal::alg_mismatch);
  // And the other way round, an ES256 header on an HS256 key.
  CHECK(refusal_of(es256(claims(), "acme-hs")) == IdentityRefusal::alg_mismatch);
  // An algorithm Stork does not pin to any key.
  const std::string rs = json{{"alg", "RS256"}, {"kid", "acme-ec"}}.dump();
  CHECK(refusal_of(test::signing_input(rs, claims().dump()) + ".c2ln") == IdentityRefusal::alg_mismatch);
}

TEST_CASE("identity token: an unknown or missing kid is refused") {
  CHECK(refusal_of(es256(claims(), "nobody")) == IdentityRefusal::unknown_key);
  const std::string header = json{{"alg", "ES256"}}.dump();
  CHECK(refusal_of(test::signing_input(header, claims().dump()) + ".c2ln") == IdentityRefusal::unknown_key);
}

TEST_CASE("identity token: a token signed by another key than its kid names is a bad signature") {
  // Signed by acme's key but naming beta's: the signature does not verify.
  CHECK(refusal_of(es256(test::good_claims("beta", kAudience, kNow), "beta-ec")) ==
        IdentityRefusal::bad_signature);
  CHECK(refusal_of(test::mint("HS256", "acme-hs", "another-secret-another-secret-123", claims())) ==
        IdentityRefusal::bad_signature);
}

TEST_CASE("identity token: a tampered header, payload or signature is refused") {
  const std::string good = es256(claims());
  json other = claims();
  other["sub"] = "someone-else";
  CHECK(refusal_of(with_part(good, 1, base64url_encode(other.dump()))) == IdentityRefusal::bad_signature);
  const std::string header = json{{"alg", "ES256"}, {"kid", "acme-ec"}, {"typ", "JWT"}, {"x", 1}}.dump();
  CHECK(refusal_of(with_part(good, 0, base64url_encode(header))) == IdentityRefusal::bad_signature);
  std::string sig = good.substr(good.rfind('.') + 1);
  sig[5] = sig[5] == 'A' ? 'B' : 'A';
  CHECK(refusal_of(with_part(good, 2, sig)) == IdentityRefusal::bad_signature);
  // A signature of the wrong length, and one in DER rather than JOSE's r||s.
  CHECK(refusal_of(with_part(good, 2, base64url_encode(std::string(70, '\x30')))) == IdentityRefusal::bad_signature);
  const std::string hs = hs256(claims());
  CHECK(refusal_of(with_part(hs, 2, hs.substr(hs.rfind('.') + 1, 20))) == IdentityRefusal::bad_signature);
}

TEST_CASE("identity token: malformed and oversized tokens are refused as malformed") {
  const std::string good = es256(claims());
  for (const std::string& bad :
       {std::string(), std::string("abc"), std::string("a.b"), good + ".x", std::string("..."),
        with_part(good, 0, "!!!"), with_part(good, 0, base64url_encode("not json")),
        with_part(good, 0, base64url_encode("[1]")), with_part(good, 2, "*"),
        // Base64 with padding: one token has one encoding.
        with_part(good, 0, base64url_encode(json{{"alg", "ES256"}, {"kid", "acme-ec"}}.dump()) + "=")}) {
    CHECK_MESSAGE(refusal_of(bad) == IdentityRefusal::malformed, bad);
  }
  json big = claims();
  big["name"] = std::string(kMaxIdentityTokenBytes, 'a');
  CHECK(refusal_of(es256(big)) == IdentityRefusal::malformed);
  json crit = {{"alg", "ES256"}, {"kid", "acme-ec"}, {"crit", json::array({"exp"})}};
  CHECK(refusal_of(test::signing_input(crit.dump(), claims().dump()) + ".c2ln") == IdentityRefusal::malformed);
}

TEST_CASE("identity token: claims of the wrong type are malformed") {
  for (const char* field : {"iat", "exp"}) {
    json c = claims();
    c[field] = std::to_string(kNow);
    CHECK(refusal_of(es256(c)) == IdentityRefusal::malformed);
    c[field] = 1e30;
    CHECK(refusal_of(es256(c)) == IdentityRefusal::malformed);
    c.erase(field);
    CHECK(refusal_of(es256(c)) == IdentityRefusal::malformed);
  }
  json c = claims();
  c["name"] = 7;
  CHECK(refusal_of(es256(c)) == IdentityRefusal::malformed);
  c = claims();
  c["exp"] = kNow - 10;  // before iat
  CHECK(refusal_of(es256(c)) == IdentityRefusal::malformed);
}

TEST_CASE("identity token: iss must be the key's publisher") {
  CHECK(refusal_of(es256(test::good_claims("beta", kAudience, kNow))) == IdentityRefusal::wrong_issuer);
  json c = claims();
  c.erase("iss");
  CHECK(refusal_of(es256(c)) == IdentityRefusal::wrong_issuer);
}

TEST_CASE("identity token: aud must be Stork's public origin") {
  CHECK(refusal_of(es256(test::good_claims("acme", "https://widget.example.evil", kNow))) ==
        IdentityRefusal::wrong_audience);
  CHECK(refusal_of(es256(test::good_claims("acme", "https://widget.example/", kNow))) ==
        IdentityRefusal::wrong_audience);
  json c = claims();
  c.erase("aud");
  CHECK(refusal_of(es256(c)) == IdentityRefusal::wrong_audience);
}

TEST_CASE("identity token: exp at most 600 s after iat") {
  json c = claims();
  c["exp"] = kNow + 600;
  CHECK(std::holds_alternative<IdentityClaims>(verify(es256(c))));
  c["exp"] = kNow + 601;
  CHECK(refusal_of(es256(c)) == IdentityRefusal::lifetime_too_long);
}

TEST_CASE("identity token: clock edges with 30 s of leeway") {
  const std::string token = es256(claims());  // iat kNow, exp kNow + 300
  CHECK(std::holds_alternative<IdentityClaims>(verify(token, kNow + 300 + 29)));
  CHECK(refusal_of(token, kNow + 300 + 30) == IdentityRefusal::expired);
  CHECK(std::holds_alternative<IdentityClaims>(verify(token, kNow - 30)));
  CHECK(refusal_of(token, kNow - 31) == IdentityRefusal::not_yet_valid);
  json c = claims();
  c["nbf"] = kNow + 100;
  CHECK(refusal_of(es256(c)) == IdentityRefusal::not_yet_valid);
  CHECK(std::holds_alternative<IdentityClaims>(verify(es256(c), kNow + 70)));
}

TEST_CASE("identity token: sub must be text of 1 to 128 bytes") {
  CHECK(std::holds_alternative<IdentityClaims>(verify(es256(test::good_claims("acme", kAudience, kNow, std::string(128, 's'))))));
  for (const std::string& sub : {std::string(), std::string(129, 's'), std::string("a\nb")}) {
    CHECK(refusal_of(es256(test::good_claims("acme", kAudience, kNow, sub))) == IdentityRefusal::bad_subject);
  }
  json c = claims();
  c["sub"] = 42;
  CHECK(refusal_of(es256(c)) == IdentityRefusal::bad_subject);
  c.erase("sub");
  CHECK(refusal_of(es256(c)) == IdentityRefusal::bad_subject);
}

TEST_CASE("identity token: jti is required") {
  json c = claims();
  c.erase("jti");
  CHECK(refusal_of(es256(c)) == IdentityRefusal::missing_jti);
  c["jti"] = "";
  CHECK(refusal_of(es256(c)) == IdentityRefusal::missing_jti);
  c["jti"] = std::string(129, 'j');
  CHECK(refusal_of(es256(c)) == IdentityRefusal::malformed);
}

TEST_CASE("identity token: every refusal has a name and a message naming the check") {
  for (int r = 0; r <= static_cast<int>(IdentityRefusal::account_disabled); ++r) {
    const auto refusal = static_cast<IdentityRefusal>(r);
    const std::string name(refusal_name(refusal));
    const std::string message = refusal_message(refusal, kAudience);
    CHECK(name != "refused");
    CHECK(message.rfind(name.substr(0, name.find('_')), 0) == 0);
  }
  CHECK(refusal_message(IdentityRefusal::wrong_audience, kAudience).find(kAudience) != std::string::npos);
}

TEST_CASE("ES256 keys: PEM and JWK give the same key; private keys and other curves are refused") {
  const auto pair = test::make_p256_key_pair();
  const auto pem = read_es256_public_key(pair.public_pem);
  REQUIRE(std::holds_alternative<Es256Key>(pem));
  CHECK(std::get<Es256Key>(pem).spki_pem == pair.public_pem);
  CHECK(std::holds_alternative<std::string>(read_es256_public_key(pair.private_pem)));
  CHECK(std::holds_alternative<std::string>(read_es256_public_key("garbage")));

  // The JWK of the same key, from its uncompressed point.
  EVP_PKEY* key = nullptr;
  {
    BIO* bio = BIO_new_mem_buf(pair.public_pem.data(), static_cast<int>(pair.public_pem.size()));
    key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
  }
  REQUIRE(key);
  unsigned char point[65];
  std::size_t n = 0;
  REQUIRE(EVP_PKEY_get_octet_string_param(key, "pub", point, sizeof point, &n) == 1);
  EVP_PKEY_free(key);
  REQUIRE(n == 65);
  const std::string x(reinterpret_cast<char*>(point + 1), 32), y(reinterpret_cast<char*>(point + 33), 32);
  json jwk = {{"kty", "EC"}, {"crv", "P-256"}, {"x", base64url_encode(x)}, {"y", base64url_encode(y)}, {"kid", "k1"}};
  const auto from_jwk = read_es256_public_key(jwk.dump());
  REQUIRE(std::holds_alternative<Es256Key>(from_jwk));
  CHECK(std::get<Es256Key>(from_jwk).spki_pem == pair.public_pem);
  CHECK(std::get<Es256Key>(from_jwk).jwk_kid == "k1");

  json with_d = jwk;
  with_d["d"] = base64url_encode(std::string(32, '\x01'));
  CHECK(std::holds_alternative<std::string>(read_es256_public_key(with_d.dump())));
  json off_curve = jwk;
  std::string bad_y = y;
  bad_y[31] = static_cast<char>(bad_y[31] ^ 1);
  off_curve["y"] = base64url_encode(bad_y);
  CHECK(std::holds_alternative<std::string>(read_es256_public_key(off_curve.dump())));
  json other_curve = jwk;
  other_curve["crv"] = "P-384";
  CHECK(std::holds_alternative<std::string>(read_es256_public_key(other_curve.dump())));

  EVP_PKEY* p384 = EVP_EC_gen("P-384");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, p384);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  const std::string p384_pem(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(p384);
  CHECK(std::holds_alternative<std::string>(read_es256_public_key(p384_pem)));
}

TEST_CASE("HS256 secrets: 43 characters of base64url from 32 random bytes, different each time") {
  const std::string a = new_hs256_secret(), b = new_hs256_secret();
  CHECK(a.size() == 43);
  CHECK(a != b);
  REQUIRE(base64url_decode(a).has_value());
  CHECK(base64url_decode(a)->size() == 32);
}
