-- Sync: every task row remembers the user sequence number of its last change, so a client that
-- missed pushes asks for everything after the last number it saw.
ALTER TABLE tasks ADD COLUMN change_seq bigint NOT NULL DEFAULT 0;
CREATE INDEX tasks_user_change_seq ON tasks (user_id, change_seq);

-- Tasks purged from the trash leave a tombstone, so sync can tell clients to forget them.
CREATE TABLE task_tombstones (
  user_id text NOT NULL,
  task_id uuid NOT NULL,
  seq     bigint NOT NULL,
  PRIMARY KEY (user_id, seq)
);
GRANT SELECT, INSERT ON task_tombstones TO taskbus_user;
ALTER TABLE task_tombstones ENABLE ROW LEVEL SECURITY;
CREATE POLICY tombstones_owner ON task_tombstones TO taskbus_user
  USING (user_id = current_setting('taskbus.user', true))
  WITH CHECK (user_id = current_setting('taskbus.user', true));
