-- The full task model: tags, due dates with explicit semantics, full-text search, trash.
ALTER TABLE tasks
  ADD COLUMN tags       text[] NOT NULL DEFAULT '{}',
  -- all-day tasks: a date; timed tasks: an instant and the IANA zone it was set in
  ADD COLUMN due_date   date,
  ADD COLUMN due_at     timestamptz,
  ADD COLUMN time_zone  text,
  -- one ordering key for both kinds: due_at, or the start of due_date in time_zone (UTC if none)
  ADD COLUMN due_sort   timestamptz,
  ADD COLUMN priority_rank smallint GENERATED ALWAYS AS
    (CASE priority WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) STORED,
  ADD COLUMN search tsvector GENERATED ALWAYS AS
    (setweight(to_tsvector('simple', title), 'A')
     || setweight(to_tsvector('simple', coalesce(description, '')), 'B')) STORED,
  ADD CONSTRAINT tasks_one_due CHECK (due_date IS NULL OR due_at IS NULL);

-- Keyset pagination: every sort is (key, id) within a user's live tasks, read in either direction.
DROP INDEX tasks_user_created;
CREATE INDEX tasks_live_created  ON tasks (user_id, created_at, id)    WHERE deleted_at IS NULL;
CREATE INDEX tasks_live_updated  ON tasks (user_id, updated_at, id)    WHERE deleted_at IS NULL;
-- tasks without a due date sort last in both directions
CREATE INDEX tasks_live_due_asc  ON tasks (user_id, coalesce(due_sort, 'infinity'::timestamptz), id)
  WHERE deleted_at IS NULL;
CREATE INDEX tasks_live_due_desc ON tasks (user_id, coalesce(due_sort, '-infinity'::timestamptz), id)
  WHERE deleted_at IS NULL;
CREATE INDEX tasks_live_priority ON tasks (user_id, priority_rank, id) WHERE deleted_at IS NULL;
CREATE INDEX tasks_live_open_due ON tasks (user_id, coalesce(due_sort, 'infinity'::timestamptz), id)
  WHERE deleted_at IS NULL AND NOT completed;
CREATE INDEX tasks_live_tags     ON tasks USING gin (tags)             WHERE deleted_at IS NULL;
CREATE INDEX tasks_live_search   ON tasks USING gin (search)           WHERE deleted_at IS NULL;
CREATE INDEX tasks_trash         ON tasks (user_id, deleted_at, id)    WHERE deleted_at IS NOT NULL;

-- Idempotency-Key: the stored response of a POST, replayed for the same key and body.
CREATE TABLE idempotency_keys (
  user_id      text NOT NULL,
  key          text NOT NULL,
  request_hash text NOT NULL,
  status       integer NOT NULL,
  location     text,
  body         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE INDEX audit_log_user_time ON audit_log (user_id, event_id);

-- Row-level security, the second wall between users (the first is every query's user_id).
-- The API runs its transactions as taskbus_user with taskbus.user set to the caller; rows of
-- anyone else are invisible and cannot be written, whatever a query says.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'taskbus_user') THEN
    CREATE ROLE taskbus_user NOLOGIN;
  END IF;
END $$;
GRANT taskbus_user TO CURRENT_USER;
GRANT SELECT, INSERT, UPDATE, DELETE ON tasks, users, outbox, idempotency_keys TO taskbus_user;
GRANT SELECT ON audit_log TO taskbus_user;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO taskbus_user;

ALTER TABLE tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tasks_owner ON tasks TO taskbus_user
  USING (user_id = current_setting('taskbus.user', true))
  WITH CHECK (user_id = current_setting('taskbus.user', true));
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_self ON users TO taskbus_user
  USING (id = current_setting('taskbus.user', true))
  WITH CHECK (id = current_setting('taskbus.user', true));
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY idempotency_owner ON idempotency_keys TO taskbus_user
  USING (user_id = current_setting('taskbus.user', true))
  WITH CHECK (user_id = current_setting('taskbus.user', true));
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY audit_owner ON audit_log TO taskbus_user
  USING (user_id = current_setting('taskbus.user', true));
-- The outbox is written by the API for its own user only; the relay (table owner) reads all.
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
CREATE POLICY outbox_owner ON outbox TO taskbus_user
  USING (user_id = current_setting('taskbus.user', true))
  WITH CHECK (user_id = current_setting('taskbus.user', true));
