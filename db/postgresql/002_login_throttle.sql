-- Failed-login bookkeeping survives a restart, so restarting the server is
-- no way around the back-off. key is 'user:<name>' or 'ip:<address>'.
-- Shared by every process on this database: three processes do not give a
-- guesser three times the tries.
CREATE TABLE login_failures (
  key           text   PRIMARY KEY,
  failures      bigint NOT NULL,
  last_failure  bigint NOT NULL,
  blocked_until bigint NOT NULL
);
