-- Publisher-asserted identity, PostgreSQL dialect of db/011_publisher_identity.sql.

CREATE TABLE publisher_keys (
  kid          text   PRIMARY KEY,
  publisher_id bigint NOT NULL REFERENCES publishers(id) ON DELETE CASCADE,
  alg          text   NOT NULL CHECK (alg IN ('ES256', 'HS256')),
  material     text   NOT NULL,
  created_at   bigint NOT NULL
);
CREATE INDEX publisher_keys_by_publisher ON publisher_keys(publisher_id);

CREATE TABLE identity_jtis (
  publisher_id bigint NOT NULL REFERENCES publishers(id) ON DELETE CASCADE,
  jti          text   NOT NULL,
  expires_at   bigint NOT NULL,
  PRIMARY KEY (publisher_id, jti)
);
CREATE INDEX identity_jtis_by_expiry ON identity_jtis(expires_at);

ALTER TABLE users ADD COLUMN asserted_by bigint REFERENCES publishers(id) ON DELETE CASCADE;
ALTER TABLE users ADD COLUMN asserted_subject text;
CREATE UNIQUE INDEX users_by_assertion ON users(asserted_by, asserted_subject);
