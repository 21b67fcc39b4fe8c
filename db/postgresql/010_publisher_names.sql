-- PostgreSQL dialect of db/010_publisher_names.sql: a publisher's name as
-- its readers know it; existing publishers are named by their key.
ALTER TABLE publishers ADD COLUMN display_name text NOT NULL DEFAULT '';
UPDATE publishers SET display_name = key;

-- The change counter of db/006 (SQLite), which every process compares
-- before trusting its cached list of publishers and origins. Written so
-- that it also runs after a migration that created the same table.
-- The trigger upserts the row, so a store emptied by TRUNCATE still counts.
CREATE TABLE IF NOT EXISTS publisher_changes (
  id      integer PRIMARY KEY CHECK (id = 1),
  version bigint  NOT NULL
);
INSERT INTO publisher_changes (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;

CREATE OR REPLACE FUNCTION stork_count_publisher_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO publisher_changes (id, version) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET version = publisher_changes.version + 1;
  RETURN NULL;
END
$$;

-- Per row, as SQLite's triggers: a statement that changes nothing counts nothing.
CREATE OR REPLACE TRIGGER publishers_counted AFTER INSERT OR UPDATE OR DELETE ON publishers
  FOR EACH ROW EXECUTE FUNCTION stork_count_publisher_change();
CREATE OR REPLACE TRIGGER publisher_origins_counted AFTER INSERT OR UPDATE OR DELETE ON publisher_origins
  FOR EACH ROW EXECUTE FUNCTION stork_count_publisher_change();
