-- Reminders: a durable schedule with fire state. The api keeps each task's pending rows in step
-- with the task (rescheduled when the due changes, cancelled when it is completed or deleted);
-- timers claim due rows with FOR UPDATE SKIP LOCKED and write their event in the same statement,
-- so any number of timer processes fire each reminder once.
ALTER TABLE tasks ADD COLUMN reminders jsonb NOT NULL DEFAULT '[]';

CREATE TABLE reminders (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id  text NOT NULL,
  task_id  uuid NOT NULL,
  spec     jsonb NOT NULL,
  fire_at  timestamptz NOT NULL,
  state    text NOT NULL DEFAULT 'pending'
           CHECK (state IN ('pending', 'fired', 'missed')),
  fired_at timestamptz
);
CREATE INDEX reminders_pending ON reminders (fire_at) WHERE state = 'pending';
CREATE INDEX reminders_task ON reminders (task_id) WHERE state = 'pending';

GRANT SELECT, INSERT, DELETE ON reminders TO taskbus_user;
ALTER TABLE reminders ENABLE ROW LEVEL SECURITY;
CREATE POLICY reminders_owner ON reminders TO taskbus_user
  USING (user_id = current_setting('taskbus.user', true))
  WITH CHECK (user_id = current_setting('taskbus.user', true));
