-- Failed-login bookkeeping survives a restart, so restarting the server is
-- no way around the back-off. key is 'user:<name>' or 'ip:<address>'.
CREATE TABLE login_failures (
  key           TEXT    PRIMARY KEY,
  failures      INTEGER NOT NULL,
  last_failure  INTEGER NOT NULL,
  blocked_until INTEGER NOT NULL
) WITHOUT ROWID;
