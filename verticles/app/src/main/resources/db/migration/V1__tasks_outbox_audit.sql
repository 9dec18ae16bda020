-- One row per user: the per-user event sequence. Bumping it in every writing transaction also
-- serialises one user's writes, so that user's outbox ids commit in order.
CREATE TABLE users (
  id         text PRIMARY KEY,
  seq        bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tasks (
  id           uuid PRIMARY KEY,
  user_id      text NOT NULL,
  title        text NOT NULL,
  description  text,
  priority     text NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')),
  completed    boolean NOT NULL DEFAULT false,
  completed_at timestamptz,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  deleted_at   timestamptz,
  version      integer NOT NULL DEFAULT 1
);

CREATE INDEX tasks_user_created ON tasks (user_id, created_at DESC, id DESC)
  WHERE deleted_at IS NULL;

-- Transactional outbox: written with the change, moved to Kafka by the relay, then deleted.
CREATE TABLE outbox (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    text NOT NULL,
  seq        bigint NOT NULL,
  type       text NOT NULL,
  subject    text NOT NULL,
  time       timestamptz NOT NULL,
  request_id text,
  data       json NOT NULL
);

-- Wakes the relay; once per statement, and NOTIFY folds duplicates within a transaction.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('taskbus_outbox', '');
  RETURN NULL;
END $$;

CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- The audit log: one row per event id, however often the event is delivered.
CREATE TABLE audit_log (
  event_id    bigint PRIMARY KEY,
  user_id     text NOT NULL,
  subject     text NOT NULL,
  type        text NOT NULL,
  time        timestamptz NOT NULL,
  seq         bigint,
  request_id  text,
  data        jsonb,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_log_user_subject ON audit_log (user_id, subject, event_id);
