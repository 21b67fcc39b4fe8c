-- Publisher-asserted identity: the keys publishers sign tokens with, the
-- token ids already used, and accounts that exist only through a publisher.

-- kid is unique across publishers: a token names its key, and the key
-- names the one publisher whose tokens it may sign.
CREATE TABLE publisher_keys (
  kid          TEXT    PRIMARY KEY,
  publisher_id INTEGER NOT NULL REFERENCES publishers(id) ON DELETE CASCADE,
  alg          TEXT    NOT NULL CHECK (alg IN ('ES256', 'HS256')),
  material     TEXT    NOT NULL,   -- ES256: SubjectPublicKeyInfo PEM; HS256: the shared secret
  created_at   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX publisher_keys_by_publisher ON publisher_keys(publisher_id);

-- A token id is refused while its row exists; rows go once past expires_at
-- (the token's own exp, after which the token is refused anyway).
CREATE TABLE identity_jtis (
  publisher_id INTEGER NOT NULL REFERENCES publishers(id) ON DELETE CASCADE,
  jti          TEXT    NOT NULL,
  expires_at   INTEGER NOT NULL,
  PRIMARY KEY (publisher_id, jti)
) WITHOUT ROWID;
CREATE INDEX identity_jtis_by_expiry ON identity_jtis(expires_at);

-- An asserted account belongs to one publisher: it goes when the publisher
-- goes, and (asserted_by, asserted_subject) names it. Its password hash is
-- not a PHC string, so no password ever verifies against it.
ALTER TABLE users ADD COLUMN asserted_by INTEGER REFERENCES publishers(id) ON DELETE CASCADE;
ALTER TABLE users ADD COLUMN asserted_subject TEXT;
CREATE UNIQUE INDEX users_by_assertion ON users(asserted_by, asserted_subject);
