-- Security round two, PostgreSQL dialect of db/009_credentials_and_devices.sql.

ALTER TABLE users ADD COLUMN credential_version bigint NOT NULL DEFAULT 0;

ALTER TABLE login_failures ADD COLUMN in_flight bigint NOT NULL DEFAULT 0;
ALTER TABLE login_failures ADD COLUMN last_admitted bigint NOT NULL DEFAULT 0;

CREATE TABLE trusted_devices (
  token_hash text   PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  issued_at  bigint NOT NULL
);
CREATE INDEX trusted_devices_issued ON trusted_devices(issued_at);
