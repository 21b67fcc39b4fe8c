-- Change notifications for per-process read caches. Every committed change
-- to a row such a cache keeps is announced on the channel stork_changes,
-- by triggers, so no write path (a store, a cascade, an operator at a psql
-- prompt) can forget to announce itself. PostgreSQL delivers a
-- transaction's notifications when it commits and drops them when it rolls
-- back; a payload sent twice in one transaction is delivered once.
--
-- Payloads: 'u<id>' (a user's account, one of their sessions, their
-- ratings or wishlist), 'p<id>' (a product's row, its rating aggregates
-- too), '*' (more than 64 keys in one statement: everything). A listener
-- treats any other payload as '*'.
--
-- Statement-level triggers with transition tables: a bulk delete (the
-- purge of expired sessions, a publisher's removal cascading to its
-- users) sends at most 64 notifications per table, or one '*'. PostgreSQL
-- allows a transition table on a trigger of one event only, hence one
-- trigger per event.
--
-- Inserts are not announced (a cache holds no row that did not exist),
-- except into ratings and wishlist, which change what a user's cached
-- state says.

-- Sends one notification per key, or '*' for more than 64 of them.
CREATE FUNCTION stork_notify_keys(prefix text, keys bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  key bigint;
BEGIN
  IF keys IS NULL THEN
    RETURN;
  END IF;
  IF cardinality(keys) > 64 THEN
    PERFORM pg_notify('stork_changes', '*');
    RETURN;
  END IF;
  FOREACH key IN ARRAY keys LOOP
    PERFORM pg_notify('stork_changes', prefix || key);
  END LOOP;
END;
$$;

-- For sessions, ratings and wishlist: the user_id of every row changed.
-- (LIMIT 65: enough to know there are more than 64.)
CREATE FUNCTION stork_notify_user_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  keys bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(k) INTO keys FROM (SELECT DISTINCT user_id AS k FROM new_rows LIMIT 65) s;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(k) INTO keys FROM (SELECT DISTINCT user_id AS k FROM old_rows LIMIT 65) s;
  ELSE
    SELECT array_agg(k) INTO keys FROM (
      SELECT user_id AS k FROM old_rows UNION SELECT user_id FROM new_rows LIMIT 65) s;
  END IF;
  PERFORM stork_notify_keys('u', keys);
  RETURN NULL;
END;
$$;

-- For users ('u') and products ('p'), TG_ARGV[0]: the id of every row changed.
CREATE FUNCTION stork_notify_id_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  keys bigint[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(k) INTO keys FROM (SELECT DISTINCT id AS k FROM old_rows LIMIT 65) s;
  ELSE
    SELECT array_agg(k) INTO keys FROM (
      SELECT id AS k FROM old_rows UNION SELECT id FROM new_rows LIMIT 65) s;
  END IF;
  PERFORM stork_notify_keys(TG_ARGV[0], keys);
  RETURN NULL;
END;
$$;

CREATE TRIGGER users_changed_update AFTER UPDATE ON users
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stork_notify_id_rows('u');
CREATE TRIGGER users_changed_delete AFTER DELETE ON users
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stork_notify_id_rows('u');

CREATE TRIGGER products_changed_update AFTER UPDATE ON products
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stork_notify_id_rows('p');
CREATE TRIGGER products_changed_delete AFTER DELETE ON products
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stork_notify_id_rows('p');

CREATE TRIGGER ratings_changed_insert AFTER INSERT ON ratings
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stork_notify_user_rows();
CREATE TRIGGER ratings_changed_update AFTER UPDATE ON ratings
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stork_notify_user_rows();
CREATE TRIGGER ratings_changed_delete AFTER DELETE ON ratings
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stork_notify_user_rows();

CREATE TRIGGER wishlist_changed_insert AFTER INSERT ON wishlist
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stork_notify_user_rows();
CREATE TRIGGER wishlist_changed_update AFTER UPDATE ON wishlist
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stork_notify_user_rows();
CREATE TRIGGER wishlist_changed_delete AFTER DELETE ON wishlist
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stork_notify_user_rows();

CREATE TRIGGER sessions_changed_delete AFTER DELETE ON sessions
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION stork_notify_user_rows();

-- A touch (last_seen_at, written on reads) must fire nothing at all, so
-- the UPDATE trigger lists every other column; PostgreSQL refuses a
-- transition table on a trigger with a column list, so this one is per
-- row. No store updates a session other than by a touch; pg_notify's
-- de-duplication keeps a hand-made bulk update to one message per user.
-- A column added to sessions later must be added here (a unit test
-- compares this list with the table).
CREATE FUNCTION stork_notify_session_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('stork_changes', 'u' || OLD.user_id);
  IF NEW.user_id <> OLD.user_id THEN
    PERFORM pg_notify('stork_changes', 'u' || NEW.user_id);
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER sessions_changed_update
  AFTER UPDATE OF token_hash, public_id, user_id, created_at, absolute_expires_at, remember,
                  user_agent, publisher, top_site, token_expires_at ON sessions
  FOR EACH ROW EXECUTE FUNCTION stork_notify_session_row();
