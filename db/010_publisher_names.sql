-- A publisher's name as its readers know it ("Signed in through Shutterbug
-- Weekly"); the key stays the identifier of the snippet and the URLs.
-- Publishers registered before names existed are named by their key.
-- (SQLite adds a NOT NULL column only with a default; every write names.)
ALTER TABLE publishers ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
UPDATE publishers SET display_name = key;
