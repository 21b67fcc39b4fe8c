// POST /api/identity over real HTTP, and `stork publisher key`: a reader
// whom the publisher vouches for signs in; every forged, stale or foreign
// token is a 401 that names the failed check, and changes nothing.

#include "in_process_server.hpp"
#include "identity_tokens.hpp"
#include "child_process.hpp"

#include "sessions/token.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace stork;
using namespace stork::test;
using nlohmann::json;

namespace {

// A server where publisher "acme" has an ES256 key "acme-ec" and an HS256
// key "acme-hs", and publisher "beta" an ES256 key "beta-ec".
struct IdentityServer {
  TestServer server;
  test::P256KeyPair acme = test::make_p256_key_pair();
  test::P256KeyPair beta = test::make_p256_key_pair();
  std::string acme_secret = new_hs256_secret();

  IdentityServer() {
    App& app = server.app();
    app.backend->publishers().add("beta", std::nullopt, {"https://beta.test"}, 0);
    app.publishers.refresh();
    REQUIRE(app.backend->identity().add_key({"acme-ec", "acme", JwsAlg::es256, acme.public_pem, 0}) == KeyAdded::added);
    REQUIRE(app.backend->identity().add_key({"acme-hs", "acme", JwsAlg::hs256, acme_secret, 0}) == KeyAdded::added);
    REQUIRE(app.backend->identity().add_key({"beta-ec", "beta", JwsAlg::es256, beta.public_pem, 0}) == KeyAdded::added);
  }

  json claims(const std::string& sub = "reader-42", const std::string& publisher = "acme") const {
    return test::good_claims(publisher, kWidgetOrigin, unix_now(), sub);
  }
  std::string acme_token(const json& c) const { return test::mint("ES256", "acme-ec", acme.private_pem, c); }
  std::string acme_token() const { return acme_token(claims()); }

  Reply post(const json& body, const httplib::Headers& extra = {}) {
    return server.send("POST", "/api/identity", with(widget_headers(), extra), body.dump());
  }
  Reply sign_in(const std::string& token, const httplib::Headers& extra = {}) {
    return post({{"token", token}, {"publisher", "acme"}}, extra);
  }
};

std::string session_cookie(const Reply& r) {
  for (const std::string& line : r.all("Set-Cookie")) {
    const std::string v = cookie_value(line, "stork_sid");
    if (!v.empty()) return v;
  }
  return {};
}

void check_refused(const Reply& r, const std::string& message_start) {
  CHECK(r.status == 401);
  const auto body = r.json();
  CHECK(body["error"] == "invalid_identity");
  CHECK_MESSAGE(body["message"].get<std::string>().rfind(message_start, 0) == 0, body["message"]);
  CHECK_FALSE(r.has_header("Set-Cookie"));
}

}  // namespace

TEST_CASE("identity: a good token signs the reader in with both cookies, as a login does") {
  IdentityServer s;
  const Reply in = s.sign_in(s.acme_token());
  REQUIRE(in.status == 200);
  const auto body = in.json();
  CHECK(body["user"]["first"] == "Ada");
  CHECK(body["user"]["last"] == "Lovelace");
  CHECK(body["user"]["username"].get<std::string>().rfind("~acme~", 0) == 0);
  const std::string token = session_cookie(in);
  REQUIRE(is_well_formed_token(token));
  CHECK(body["csrf"] == csrf_token_for(token));
  CHECK(in.all("Set-Cookie").size() >= 2);  // stork_sid and the partitioned one

  const Reply me = s.server.get("/api/me", sid_cookie(token));
  REQUIRE(me.status == 200);
  CHECK(me.json()["session"]["publisher"] == "acme");
  CHECK(me.json()["user"]["first"] == "Ada");
  CHECK(me.json()["asserted_by"]["publisher"] == "acme");
  CHECK(me.json()["asserted_by"]["name"].is_string());

  // HS256 as well, and the same reader is the same account, names refreshed.
  json again = s.claims();
  again["given_name"] = "Augusta";
  const Reply hs = s.sign_in(test::mint("HS256", "acme-hs", s.acme_secret, again));
  REQUIRE(hs.status == 200);
  CHECK(hs.json()["user"]["username"] == body["user"]["username"]);
  CHECK(hs.json()["user"]["first"] == "Augusta");
  CHECK(s.server.scalar("SELECT count(*) FROM users WHERE asserted_by IS NOT NULL") == 1);
  CHECK(s.server.app().metrics.render().find(
            "stork_identity_sign_ins_total{publisher=\"acme\",outcome=\"ok\"} 2") != std::string::npos);
}

TEST_CASE("identity: cookieless sign-in returns the bearer token, and a refresh token when remembered") {
  IdentityServer s;
  const Reply bearer_only = s.post({{"token", s.acme_token()}, {"cookieless", true}});
  REQUIRE(bearer_only.status == 200);
  const std::string token = bearer_only.json()["token"];
  CHECK(s.server.get("/api/me", bearer(token)).status == 200);

  const Reply kept = s.post({{"token", s.acme_token()}, {"cookieless", true}, {"remember", true}});
  REQUIRE(kept.status == 200);
  CHECK(kept.json().contains("refresh"));
  CHECK_FALSE(kept.has_header("Set-Cookie"));
}

TEST_CASE("identity: a replayed token is refused, and changes nothing") {
  IdentityServer s;
  const std::string token = s.acme_token();
  REQUIRE(s.sign_in(token).status == 200);
  const auto sessions = s.server.scalar("SELECT count(*) FROM sessions");
  check_refused(s.sign_in(token), "replayed");
  CHECK(s.server.scalar("SELECT count(*) FROM sessions") == sessions);
}

TEST_CASE("identity: forged, expired, future, wrong aud, iss, kid or alg: each a 401 naming the check") {
  IdentityServer s;
  const auto other = test::make_p256_key_pair();
  check_refused(s.sign_in(test::mint("ES256", "acme-ec", other.private_pem, s.claims())), "bad signature");
  json expired = test::good_claims("acme", kWidgetOrigin, unix_now() - 400);
  check_refused(s.sign_in(s.acme_token(expired)), "expired");
  json future = test::good_claims("acme", kWidgetOrigin, unix_now() + 120);
  check_refused(s.sign_in(s.acme_token(future)), "not yet valid");
  json long_lived = s.claims();
  long_lived["exp"] = long_lived["iat"].get<std::int64_t>() + 3600;
  check_refused(s.sign_in(s.acme_token(long_lived)), "lifetime too long");
  check_refused(s.sign_in(s.acme_token(test::good_claims("acme", "https://evil.test", unix_now()))),
                "wrong audience");
  check_refused(s.sign_in(s.acme_token(s.claims("reader-42", "beta"))), "wrong issuer");
  check_refused(s.sign_in(test::mint("ES256", "nobody", s.acme.private_pem, s.claims())), "unknown key");
  // An HS256 token keyed with acme's public PEM, naming the ES256 key.
  const std::string header = json{{"alg", "HS256"}, {"kid", "acme-ec"}}.dump();
  const std::string input = test::signing_input(header, s.claims().dump());
  check_refused(s.sign_in(input + "." + test::hs256_sign(s.acme.public_pem, input)), "alg mismatch");
  const std::string none = json{{"alg", "none"}, {"kid", "acme-ec"}}.dump();
  check_refused(s.sign_in(test::signing_input(none, s.claims().dump()) + "."), "alg none");
  check_refused(s.sign_in("not-a-token"), "malformed");
  check_refused(s.sign_in(std::string(9000, 'a')), "malformed");
  CHECK(s.server.scalar("SELECT count(*) FROM sessions") == 0);
  CHECK(s.server.scalar("SELECT count(*) FROM users WHERE asserted_by IS NOT NULL") == 0);
  CHECK(s.server.app().metrics.render().find(
            "stork_identity_sign_ins_total{publisher=\"acme\",outcome=\"expired\"} 1") != std::string::npos);
}

TEST_CASE("identity: one sub at two publishers is two accounts; a publisher cannot sign for another") {
  IdentityServer s;
  const Reply at_acme = s.sign_in(s.acme_token(s.claims("shared-sub")));
  const Reply at_beta = s.post({{"token", test::mint("ES256", "beta-ec", s.beta.private_pem, s.claims("shared-sub", "beta"))}});
  REQUIRE(at_acme.status == 200);
  REQUIRE(at_beta.status == 200);
  CHECK(at_acme.json()["user"]["username"] != at_beta.json()["user"]["username"]);
  // beta's key with iss acme: refused, so beta cannot make acme's readers.
  check_refused(s.post({{"token", test::mint("ES256", "beta-ec", s.beta.private_pem, s.claims("shared-sub"))}}),
                "wrong issuer");
  // The session is the token's publisher's, not the one the widget named.
  const Reply beta_in_acme_widget = s.post(
      {{"token", test::mint("ES256", "beta-ec", s.beta.private_pem, s.claims("x", "beta"))}, {"publisher", "acme"}});
  REQUIRE(beta_in_acme_widget.status == 200);
  CHECK(s.server.get("/api/me", sid_cookie(session_cookie(beta_in_acme_widget))).json()["session"]["publisher"] == "beta");
}

TEST_CASE("identity: a token passed by a page of another origin than the publisher's is refused") {
  IdentityServer s;
  check_refused(s.post({{"token", s.acme_token()}, {"page_origin", kForeignOrigin}}), "wrong origin");
  check_refused(s.post({{"token", s.acme_token()}, {"page_origin", "https://beta.test"}}), "wrong origin");
  check_refused(s.post({{"token", s.acme_token()}, {"page_origin", "null"}}), "wrong origin");
  CHECK(s.post({{"token", s.acme_token()}, {"page_origin", kSecondPublisherOrigin}}).status == 200);
  CHECK(s.server.get("/api/me", {}).status == 401);
}

TEST_CASE("identity: a password account has no asserted_by") {
  IdentityServer s;
  const Login alice = login(s.server, "alice", kAlicePassword);
  REQUIRE(alice.reply.status == 200);
  CHECK_FALSE(s.server.get("/api/me", sid_cookie(alice.token)).json().contains("asserted_by"));
}

TEST_CASE("identity: an asserted account cannot sign in with a password") {
  IdentityServer s;
  const Reply in = s.sign_in(s.acme_token());
  REQUIRE(in.status == 200);
  const std::string username = in.json()["user"]["username"];
  for (const char* password : {"!asserted", "", "password"}) {
    CHECK(login(s.server, username, password).reply.status != 200);
  }
  // Nor be given one by a reset link.
  const ProcessResult reset = run_stork({"user", "reset-link", username, "--db", s.server.app().config.db_path});
  CHECK(reset.exit_code == 1);
  CHECK(reset.err.find("signs in through publisher acme") != std::string::npos);
}

TEST_CASE("identity: a token for another reader replaces the session the request came with") {
  IdentityServer s;
  const Reply first = s.sign_in(s.acme_token(s.claims("reader-a")));
  REQUIRE(first.status == 200);
  const std::string a = session_cookie(first);
  const Reply second = s.sign_in(s.acme_token(s.claims("reader-b")), sid_cookie(a));
  REQUIRE(second.status == 200);
  CHECK(s.server.get("/api/me", sid_cookie(a)).status == 401);
  CHECK(s.server.get("/api/me", sid_cookie(session_cookie(second))).status == 200);
}

TEST_CASE("identity: Origin and Sec-Fetch-Site rules of login; bad bodies are 4xx, never 500") {
  IdentityServer s;
  const std::string body = json{{"token", s.acme_token()}}.dump();
  CHECK(s.server.send("POST", "/api/identity", {{"Origin", kPublisherOrigin}}, body).status == 403);
  CHECK(s.server.send("POST", "/api/identity", {}, body).status == 403);
  CHECK(s.server.send("POST", "/api/identity", {{"Origin", kWidgetOrigin}, {"Sec-Fetch-Site", "cross-site"}}, body)
            .status == 403);
  CHECK(s.server.send("POST", "/api/identity", widget_headers(), "{not json").status == 400);
  CHECK(s.server.send("POST", "/api/identity", widget_headers(), "{}").status == 400);
  CHECK(s.server.send("POST", "/api/identity", widget_headers(), R"({"token": 5})").status == 400);
  CHECK(s.server.send("POST", "/api/identity", widget_headers(), "[]").status == 400);
  CHECK(s.server.send("POST", "/api/identity", widget_headers(), body, "text/plain").status == 415);
  const std::string huge = json{{"token", std::string(100 * 1024, 'a')}}.dump();
  CHECK(s.server.send("POST", "/api/identity", widget_headers(), huge).status == 413);
  // The token refused at the Origin check was not spent.
  CHECK(s.server.send("POST", "/api/identity", widget_headers(), body).status == 200);
}

TEST_CASE("identity: a disabled asserted account is refused") {
  IdentityServer s;
  const Reply in = s.sign_in(s.acme_token());
  REQUIRE(in.status == 200);
  s.server.app().accounts.set_disabled(s.server.user_id(in.json()["user"]["username"]), true);
  check_refused(s.sign_in(s.acme_token()), "account disabled");
}

TEST_CASE("stork publisher key add|list|remove") {
  IdentityServer s;
  const std::string db = s.server.app().config.db_path;
  TempDir dir;
  const auto pair = test::make_p256_key_pair();
  std::ofstream(dir.file("key.pem")) << pair.public_pem;
  std::ofstream(dir.file("private.pem")) << pair.private_pem;

  const ProcessResult es = run_stork({"publisher", "key", "add", "acme", "--alg", "ES256", "--public-key",
                                      dir.file("key.pem"), "--kid", "acme-cli", "--db", db});
  REQUIRE(es.exit_code == 0);
  CHECK(es.out.find("Added ES256 key acme-cli for publisher acme") != std::string::npos);
  CHECK(s.sign_in(test::mint("ES256", "acme-cli", pair.private_pem, s.claims())).status == 200);

  const ProcessResult hs = run_stork({"publisher", "key", "add", "acme", "--alg", "HS256", "--db", db});
  REQUIRE(hs.exit_code == 0);
  const std::string secret = hs.out.substr(hs.out.rfind(':') + 2, 43);
  REQUIRE(secret.size() == 43);
  const std::string kid = hs.out.substr(hs.out.find("key ") + 4, hs.out.find(" for") - hs.out.find("key ") - 4);
  CHECK(kid.rfind("acme-", 0) == 0);
  CHECK(s.sign_in(test::mint("HS256", kid, secret, s.claims())).status == 200);

  const ProcessResult listed = run_stork({"publisher", "key", "list", "acme", "--json", "--db", db});
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.out.find(secret) == std::string::npos);  // a secret is printed once only
  CHECK(json::parse(listed.out).size() == 4);
  CHECK(run_stork({"publisher", "key", "list", "--db", db}).out.find("5 keys") != std::string::npos);

  REQUIRE(run_stork({"publisher", "key", "remove", "acme-cli", "--db", db}).exit_code == 0);
  check_refused(s.sign_in(test::mint("ES256", "acme-cli", pair.private_pem, s.claims())), "unknown key");
  CHECK(run_stork({"publisher", "key", "remove", "acme-cli", "--db", db}).exit_code == 1);

  // Refusals an operator can act on.
  CHECK(run_stork({"publisher", "key", "add", "acme", "--alg", "ES256", "--public-key", dir.file("private.pem"), "--db", db})
            .err.find("private key") != std::string::npos);
  CHECK(run_stork({"publisher", "key", "add", "nobody", "--alg", "HS256", "--db", db}).exit_code == 1);
  CHECK(run_stork({"publisher", "key", "add", "acme", "--alg", "RS256", "--db", db}).exit_code == 2);
  CHECK(run_stork({"publisher", "key", "add", "acme", "--alg", "ES256", "--db", db}).exit_code == 2);
  CHECK(run_stork({"publisher", "key", "add", "acme", "--alg", "HS256", "--kid", "acme-ec", "--db", db})
            .err.find("taken") != std::string::npos);
}

TEST_CASE("identity: a token with no name claims gives the reader the name 'Reader'") {
  IdentityServer s;
  json c = s.claims("nameless-7");
  c.erase("given_name");
  c.erase("family_name");
  const Reply in = s.sign_in(s.acme_token(c));
  REQUIRE(in.status == 200);
  CHECK(in.json()["user"]["first"] == "Reader");
  CHECK(in.json()["user"]["last"] == "");
  const Reply me = s.server.get("/api/me", sid_cookie(session_cookie(in)));
  REQUIRE(me.status == 200);
  CHECK(me.json()["user"]["first"] == "Reader");
  // A name of only spaces and control characters is no name either.
  json blank = s.claims("nameless-7");
  blank.erase("given_name");
  blank.erase("family_name");
  blank["name"] = " \t\n ";
  const Reply again = s.sign_in(s.acme_token(blank));
  REQUIRE(again.status == 200);
  CHECK(again.json()["user"]["first"] == "Reader");
  CHECK(again.json()["user"]["username"] == in.json()["user"]["username"]);
}
