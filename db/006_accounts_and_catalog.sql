-- Sign-up, password reset links, operator commands.

-- A username is taken whatever its case: "Alice" cannot sign up beside
-- "alice" (usernames are ASCII, so NOCASE folds exactly).
CREATE UNIQUE INDEX users_username_nocase ON users(username COLLATE NOCASE);

-- `stork user reset-link`: at most one link per user (a newer link
-- replaces the older), stored only as a hash of its token.
CREATE TABLE password_reset_links (
  user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT    NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);

-- Sign-up attempts per client address, counted in fixed windows.
CREATE TABLE signup_attempts (
  address      TEXT    PRIMARY KEY,
  window_start INTEGER NOT NULL,
  attempts     INTEGER NOT NULL
) WITHOUT ROWID;

-- Bumped by every change to publishers or their origins, so that a
-- server process notices a change made by another (the CLI) on its next
-- request instead of serving a removed origin until a reload.
CREATE TABLE publisher_changes (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO publisher_changes (id, version) VALUES (1, 0);
CREATE TRIGGER publishers_inserted AFTER INSERT ON publishers
  BEGIN UPDATE publisher_changes SET version = version + 1; END;
CREATE TRIGGER publishers_updated AFTER UPDATE ON publishers
  BEGIN UPDATE publisher_changes SET version = version + 1; END;
CREATE TRIGGER publishers_deleted AFTER DELETE ON publishers
  BEGIN UPDATE publisher_changes SET version = version + 1; END;
CREATE TRIGGER publisher_origins_inserted AFTER INSERT ON publisher_origins
  BEGIN UPDATE publisher_changes SET version = version + 1; END;
CREATE TRIGGER publisher_origins_updated AFTER UPDATE ON publisher_origins
  BEGIN UPDATE publisher_changes SET version = version + 1; END;
CREATE TRIGGER publisher_origins_deleted AFTER DELETE ON publisher_origins
  BEGIN UPDATE publisher_changes SET version = version + 1; END;
