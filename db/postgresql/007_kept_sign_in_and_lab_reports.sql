-- Sign-ins kept in partitioned storage, and saved cookie-lab reports
-- (see db/007_kept_sign_in_and_lab_reports.sql for the why).

ALTER TABLE sessions ADD COLUMN token_expires_at bigint NOT NULL DEFAULT 0;

CREATE TABLE refresh_tokens (
  token_hash text   PRIMARY KEY,
  family_id  text   NOT NULL,
  user_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  issued_at  bigint NOT NULL,
  spent_at   bigint
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens(family_id);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens(user_id);
CREATE INDEX refresh_tokens_by_issue ON refresh_tokens(issued_at);

CREATE TABLE lab_reports (
  id         text   PRIMARY KEY,
  body       text   NOT NULL,
  note       text   NOT NULL,
  user_agent text   NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX lab_reports_by_expiry ON lab_reports(expires_at);
