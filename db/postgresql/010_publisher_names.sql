-- PostgreSQL dialect of db/010_publisher_names.sql: a publisher's name as
-- its readers know it; existing publishers are named by their key.
ALTER TABLE publishers ADD COLUMN display_name text NOT NULL DEFAULT '';
UPDATE publishers SET display_name = key;

-- The change counter of 006 counts by upsert from now on: a store whose
-- publisher_changes row went (TRUNCATE of every table, a restore without
-- it) would otherwise stop counting, and every process would keep its
-- cached origins for good.
CREATE OR REPLACE FUNCTION bump_publisher_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO publisher_changes (id, version) VALUES (1, 1)
    ON CONFLICT (id) DO UPDATE SET version = publisher_changes.version + 1;
  RETURN NULL;
END;
$$;
