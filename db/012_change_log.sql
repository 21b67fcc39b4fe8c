-- What a per-process read cache must forget, for every process on this
-- file: an append-only log, one row per changed user ('u' || id) or
-- product ('p' || id) per committed statement row. Each process's change
-- feed reads the rows above the last number it saw. Triggers write it, so
-- no write path (server, CLI, a cascade, an operator's SQL) can forget to.
--
-- seq is the rowid: a new row takes max(seq) + 1, found at the right edge
-- of the table, and lands on its last page, which every write before it
-- has already read; SQLite has one writer at a time, so numbers grow in
-- commit order, without gaps, and a rolled-back change leaves none. (A
-- first design kept one row per key, numbered through an index on seq:
-- that cost a rating write three times its time, this costs it a page.)
CREATE TABLE change_log (
  seq INTEGER PRIMARY KEY,
  key TEXT    NOT NULL
);

-- The log keeps about its last 16,384 rows and no more: every 1,024th
-- row deletes those 16,384 or more behind it, the newest never, so
-- max(seq) never falls back and seq never repeats. A feed that falls
-- further behind than that finds a hole before its next row and tells its
-- cache that everything changed (server/storage/sqlite_change_feed.cpp).
CREATE TRIGGER change_log_pruned AFTER INSERT ON change_log WHEN NEW.seq % 1024 = 0
  BEGIN
    DELETE FROM change_log WHERE seq <= NEW.seq - 16384;
  END;

-- A session's touch (last_seen_at, once a minute per session) is not a
-- change the cache cares about, and is the most frequent write: it logs
-- nothing. Every other column does.
CREATE TRIGGER sessions_changed AFTER UPDATE OF
    token_hash, public_id, user_id, created_at, absolute_expires_at, remember, user_agent,
    publisher, top_site, token_expires_at ON sessions
  BEGIN
    INSERT INTO change_log (key) VALUES ('u' || NEW.user_id);
  END;
CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions
  BEGIN
    INSERT INTO change_log (key) VALUES ('u' || OLD.user_id);
  END;

CREATE TRIGGER users_changed AFTER UPDATE ON users
  BEGIN
    INSERT INTO change_log (key) VALUES ('u' || OLD.id);
  END;
CREATE TRIGGER users_deleted AFTER DELETE ON users
  BEGIN
    INSERT INTO change_log (key) VALUES ('u' || OLD.id);
  END;

CREATE TRIGGER ratings_inserted AFTER INSERT ON ratings
  BEGIN
    INSERT INTO change_log (key) VALUES ('u' || NEW.user_id);
  END;
CREATE TRIGGER ratings_changed AFTER UPDATE ON ratings
  BEGIN
    INSERT INTO change_log (key) VALUES ('u' || NEW.user_id);
  END;
CREATE TRIGGER ratings_deleted AFTER DELETE ON ratings
  BEGIN
    INSERT INTO change_log (key) VALUES ('u' || OLD.user_id);
  END;

CREATE TRIGGER wishlist_inserted AFTER INSERT ON wishlist
  BEGIN
    INSERT INTO change_log (key) VALUES ('u' || NEW.user_id);
  END;
CREATE TRIGGER wishlist_changed AFTER UPDATE ON wishlist
  BEGIN
    INSERT INTO change_log (key) VALUES ('u' || NEW.user_id);
  END;
CREATE TRIGGER wishlist_deleted AFTER DELETE ON wishlist
  BEGIN
    INSERT INTO change_log (key) VALUES ('u' || OLD.user_id);
  END;

CREATE TRIGGER products_changed AFTER UPDATE ON products
  BEGIN
    INSERT INTO change_log (key) VALUES ('p' || OLD.id);
  END;
CREATE TRIGGER products_deleted AFTER DELETE ON products
  BEGIN
    INSERT INTO change_log (key) VALUES ('p' || OLD.id);
  END;
