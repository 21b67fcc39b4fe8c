-- PostgreSQL dialect of db/008_sessions_live_index.sql: with both times in
-- the index, the active-sessions gauge (a count every few seconds) can be
-- answered by an index-only scan instead of visiting every session row;
-- the purge of idle sessions uses its first column as before.
DROP INDEX sessions_by_last_seen;
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at, absolute_expires_at);
