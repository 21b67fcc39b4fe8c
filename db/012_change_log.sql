-- What a per-process read cache must forget, for every process on this
-- file: one row per user ('u' || id) or product ('p' || id) with the
-- number of its latest committed change. Each process's change feed polls
-- for rows above the last number it saw. One row per key keeps the table
-- as small as users plus products, with nothing to prune. Triggers write
-- it, so no write path (server, CLI, a cascade) can forget to.
--
-- The next number is max(seq) + 1, read through the index inside the
-- writing transaction: SQLite has one writer at a time, so numbers only
-- grow in commit order, and a rolled-back change leaves none.
CREATE TABLE change_log (
  key TEXT    PRIMARY KEY,
  seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX change_log_by_seq ON change_log(seq);

-- A session's touch (last_seen_at, once a minute per session) is not a
-- change the cache cares about, and is the most frequent write: it logs
-- nothing. Every other column does.
CREATE TRIGGER sessions_changed AFTER UPDATE OF
    token_hash, public_id, user_id, created_at, absolute_expires_at, remember, user_agent,
    publisher, top_site, token_expires_at ON sessions
  BEGIN
    INSERT INTO change_log (key, seq) VALUES ('u' || NEW.user_id, (SELECT coalesce(max(seq), 0) + 1 FROM change_log))
      ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
  END;
CREATE TRIGGER sessions_deleted AFTER DELETE ON sessions
  BEGIN
    INSERT INTO change_log (key, seq) VALUES ('u' || OLD.user_id, (SELECT coalesce(max(seq), 0) + 1 FROM change_log))
      ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
  END;

CREATE TRIGGER users_changed AFTER UPDATE ON users
  BEGIN
    INSERT INTO change_log (key, seq) VALUES ('u' || OLD.id, (SELECT coalesce(max(seq), 0) + 1 FROM change_log))
      ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
  END;
CREATE TRIGGER users_deleted AFTER DELETE ON users
  BEGIN
    INSERT INTO change_log (key, seq) VALUES ('u' || OLD.id, (SELECT coalesce(max(seq), 0) + 1 FROM change_log))
      ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
  END;

CREATE TRIGGER ratings_inserted AFTER INSERT ON ratings
  BEGIN
    INSERT INTO change_log (key, seq) VALUES ('u' || NEW.user_id, (SELECT coalesce(max(seq), 0) + 1 FROM change_log))
      ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
  END;
CREATE TRIGGER ratings_changed AFTER UPDATE ON ratings
  BEGIN
    INSERT INTO change_log (key, seq) VALUES ('u' || NEW.user_id, (SELECT coalesce(max(seq), 0) + 1 FROM change_log))
      ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
  END;
CREATE TRIGGER ratings_deleted AFTER DELETE ON ratings
  BEGIN
    INSERT INTO change_log (key, seq) VALUES ('u' || OLD.user_id, (SELECT coalesce(max(seq), 0) + 1 FROM change_log))
      ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
  END;

CREATE TRIGGER wishlist_inserted AFTER INSERT ON wishlist
  BEGIN
    INSERT INTO change_log (key, seq) VALUES ('u' || NEW.user_id, (SELECT coalesce(max(seq), 0) + 1 FROM change_log))
      ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
  END;
CREATE TRIGGER wishlist_changed AFTER UPDATE ON wishlist
  BEGIN
    INSERT INTO change_log (key, seq) VALUES ('u' || NEW.user_id, (SELECT coalesce(max(seq), 0) + 1 FROM change_log))
      ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
  END;
CREATE TRIGGER wishlist_deleted AFTER DELETE ON wishlist
  BEGIN
    INSERT INTO change_log (key, seq) VALUES ('u' || OLD.user_id, (SELECT coalesce(max(seq), 0) + 1 FROM change_log))
      ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
  END;

CREATE TRIGGER products_changed AFTER UPDATE ON products
  BEGIN
    INSERT INTO change_log (key, seq) VALUES ('p' || OLD.id, (SELECT coalesce(max(seq), 0) + 1 FROM change_log))
      ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
  END;
CREATE TRIGGER products_deleted AFTER DELETE ON products
  BEGIN
    INSERT INTO change_log (key, seq) VALUES ('p' || OLD.id, (SELECT coalesce(max(seq), 0) + 1 FROM change_log))
      ON CONFLICT (key) DO UPDATE SET seq = excluded.seq;
  END;
