-- pgbench script: one task creation, the same transaction as POST /api/v1/tasks:
--   UserDb.tx: BEGIN; SELECT set_config('role', ...), set_config('taskbus.user', ...), set_config('plan_cache_mode', ...);
--   TaskRepository.INSERT = OutboxSql.withEvent(INSERT INTO tasks ...): bump the user's sequence,
--   insert the task row tagged with it (change_seq), insert the outbox row, one statement; COMMIT.
-- Four round trips, as the API makes them (pool.withTransaction). Users are perf-u0 ..
-- perf-u(users-1), the load generator's too. The API computes the task id (UUIDv7) and the time in
-- Java and sends them as parameters; here gen_random_uuid() and now(), computed once in the k CTE
-- so that the task id and the event's subject agree as in the API. The event data is a JSON
-- document of the API's shape and size, written with ": " and \u003a because pgbench takes a
-- colon followed by a name, even inside a string literal, for a variable.
-- Mirrors commit f51baf6; when TaskRepository.INSERT, OutboxSql or UserDb change, change this.
-- Run with: pgbench -M prepared -D users=20 -f create-task.sql (search_path: see run-create.sh).
\set u random(0, :users - 1)
BEGIN;
SELECT set_config('role', 'taskbus_user', true), set_config('taskbus.user', 'perf-u' || :u, true), set_config('plan_cache_mode', 'force_custom_plan', true);
WITH u AS (
  INSERT INTO users (id, seq) VALUES ('perf-u' || :u, 1)
  ON CONFLICT (id) DO UPDATE SET seq = users.seq + 1
  RETURNING seq),
k AS (SELECT gen_random_uuid() AS id, now() AS at),
c AS (
  INSERT INTO tasks (id, user_id, title, description, priority, tags, due_date, due_at,
                     time_zone, due_sort, completed, completed_at, created_at, updated_at,
                     version, change_seq)
  SELECT k.id, 'perf-u' || :u, 'pgbench task', NULL, 'medium', '{}'::text[], NULL::date,
    NULL::timestamptz, NULL, NULL::timestamptz, false, NULL, k.at, k.at, 1, u.seq FROM u, k)
INSERT INTO outbox (user_id, seq, type, subject, time, request_id, data)
SELECT 'perf-u' || :u, u.seq, 'task.created', k.id::text, k.at, 'pgbench-0000-0000-0000-000000000000',
  '{"task": {"id": "01a1fd58-f31f-7412-8edd-ac45c89041a8", "title": "pgbench task", "description": null, "priority": "medium", "tags": [], "dueDate": null, "dueAt": null, "timeZone": null, "completed": false, "completedAt": null, "createdAt": "2026-11-21T09\u003a03\u003a47.487898Z", "updatedAt": "2026-11-21T09\u003a03\u003a47.487898Z", "deletedAt": null, "version": 1}, "changes": {"title": {"old": null, "new": "pgbench task"}, "priority": {"old": null, "new": "medium"}}}'::json
FROM u, k
RETURNING seq;
COMMIT;
