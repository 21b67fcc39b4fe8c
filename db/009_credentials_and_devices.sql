-- Security round two: credential versions, in-flight guesses, trusted devices.

-- Raised by every password change and disable. A sign-in inserts its
-- session only while the version it verified against is still current.
ALTER TABLE users ADD COLUMN credential_version INTEGER NOT NULL DEFAULT 0;

-- Attempts admitted and still being verified count as failures until
-- they settle (server/accounts/throttle_store.hpp).
ALTER TABLE login_failures ADD COLUMN in_flight INTEGER NOT NULL DEFAULT 0;
ALTER TABLE login_failures ADD COLUMN last_admitted INTEGER NOT NULL DEFAULT 0;

-- OWASP device cookies: a browser that signed in holds a random token,
-- kept here only as a hash. It exempts that browser from lockouts that
-- other clients caused.
CREATE TABLE trusted_devices (
  token_hash TEXT    PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  issued_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX trusted_devices_issued ON trusted_devices(issued_at);
