-- Sign-up, password reset links, operator commands: PostgreSQL dialect of
-- db/006_accounts_and_catalog.sql.

-- A username is taken whatever its case: "Alice" cannot sign up beside
-- "alice". Usernames are ASCII, so lower() folds exactly as SQLite's
-- NOCASE does; lookups use lower(username) = lower($1) to hit this index.
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));

-- `stork user reset-link`: at most one link per user (a newer link
-- replaces the older), stored only as a hash of its token.
CREATE TABLE password_reset_links (
  user_id    bigint PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  token_hash text   NOT NULL UNIQUE,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);

-- Sign-up attempts per client address, counted in fixed windows.
CREATE TABLE signup_attempts (
  address      text   PRIMARY KEY,
  window_start bigint NOT NULL,
  attempts     bigint NOT NULL
);

-- Bumped by every change to publishers or their origins, so that a
-- server process notices a change made by another (the CLI, or another
-- server) on its next request instead of serving a removed origin until
-- a reload. One statement-level trigger per table: a bulk change bumps
-- the counter once.
CREATE TABLE publisher_changes (
  id      integer PRIMARY KEY CHECK (id = 1),
  version bigint  NOT NULL
);
INSERT INTO publisher_changes (id, version) VALUES (1, 0);

CREATE FUNCTION bump_publisher_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE publisher_changes SET version = version + 1;
  RETURN NULL;
END;
$$;
CREATE TRIGGER publishers_changed AFTER INSERT OR UPDATE OR DELETE ON publishers
  FOR EACH STATEMENT EXECUTE FUNCTION bump_publisher_changes();
CREATE TRIGGER publisher_origins_changed AFTER INSERT OR UPDATE OR DELETE ON publisher_origins
  FOR EACH STATEMENT EXECUTE FUNCTION bump_publisher_changes();
