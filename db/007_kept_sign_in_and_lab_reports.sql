-- Sign-ins kept in partitioned storage, and saved cookie-lab reports.

-- A session kept by a refresh token hands out short-lived access tokens:
-- each token dies at token_expires_at even while its session lives on.
-- 0: the token lives as long as its session (cookies, plain bearer).
ALTER TABLE sessions ADD COLUMN token_expires_at INTEGER NOT NULL DEFAULT 0;

-- Refresh tokens, stored as hashes. One family per kept sign-in (its
-- session's public id); every rotation adds a row and marks the previous
-- one spent. A spent token presented again ends the whole family.
CREATE TABLE refresh_tokens (
  token_hash TEXT    PRIMARY KEY,            -- BLAKE2b-256 of the token, hex
  family_id  TEXT    NOT NULL,               -- the session's public id
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  issued_at  INTEGER NOT NULL,
  spent_at   INTEGER                         -- NULL: the family's current token
) WITHOUT ROWID;
CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens(user_id);
CREATE INDEX refresh_tokens_by_issue ON refresh_tokens(issued_at);

-- What a tester's browser showed in the cookie lab, kept for a while so a
-- link to it (or to a comparison of several) can be shared.
CREATE TABLE lab_reports (
  id         TEXT    PRIMARY KEY,            -- 128 random bits, hex: the capability to read it
  body       TEXT    NOT NULL,               -- the lab's JSON
  note       TEXT    NOT NULL,
  user_agent TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX lab_reports_by_expiry ON lab_reports(expires_at);
