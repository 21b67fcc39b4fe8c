-- Stork schema, version 1. Times are Unix seconds (UTC).

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT    NOT NULL UNIQUE,
  first_name    TEXT    NOT NULL,
  last_name     TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,          -- argon2id PHC string
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);

CREATE TABLE publishers (
  id         INTEGER PRIMARY KEY,
  key        TEXT    NOT NULL UNIQUE,      -- the data-publisher value of the snippet
  created_at INTEGER NOT NULL
);

CREATE TABLE publisher_origins (
  publisher_id INTEGER NOT NULL REFERENCES publishers(id) ON DELETE CASCADE,
  origin       TEXT    NOT NULL,           -- scheme://host[:port], normalized
  PRIMARY KEY (publisher_id, origin)
);
CREATE INDEX publisher_origins_by_origin ON publisher_origins(origin);

-- Only a hash of the session token is stored: a copy of this table does
-- not let anyone take over a session.
CREATE TABLE sessions (
  token_hash          TEXT    PRIMARY KEY,
  public_id           TEXT    NOT NULL UNIQUE,  -- shown in the session list
  user_id             INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at          INTEGER NOT NULL,
  last_seen_at        INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL,
  remember            INTEGER NOT NULL,
  user_agent          TEXT    NOT NULL,
  publisher           TEXT    NOT NULL,         -- publisher key it was created under, '' if none
  top_site            TEXT    NOT NULL          -- top-level site it was created under, '' if unknown
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_absolute_expiry ON sessions(absolute_expires_at);
CREATE INDEX sessions_by_last_seen ON sessions(last_seen_at);

-- rating_sum/rating_count are kept up to date with ratings in the same
-- transaction, so the hot product read never aggregates.
CREATE TABLE products (
  id           INTEGER PRIMARY KEY,
  name         TEXT    NOT NULL,
  brand        TEXT    NOT NULL,
  price_cents  INTEGER NOT NULL,
  currency     TEXT    NOT NULL,
  image        TEXT    NOT NULL,
  rating_sum   INTEGER NOT NULL DEFAULT 0,
  rating_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE ratings (
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  stars      INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, product_id)
) WITHOUT ROWID;

CREATE TABLE wishlist (
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, product_id)
) WITHOUT ROWID;
