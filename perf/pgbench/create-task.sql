-- pgbench script: one task creation, the same transaction as the API's
-- (verticles/api/src/main/java/io/taskbus/api/TaskRepository.java CREATE, with OutboxSql.NEXT_SEQ):
-- bump the user's sequence (upsert), insert the task row, insert the outbox row, one statement,
-- one round trip, auto-committed. Users are perf-u0 .. perf-u(users-1), the load generator's too.
-- The API generates the task id (UUIDv7) and the time in Java and sends them as parameters; here
-- gen_random_uuid() and now() stand in, computed once in the k CTE so that the task id and the
-- event's subject agree as they do in the API. The event data is a JSON document of the API's
-- size and shape (written with ": " and \u003a because pgbench would take ":name" anywhere,
-- even inside a string literal, for a variable). Run with: pgbench -M prepared -D users=20 -f create-task.sql
\set u random(0, :users - 1)
WITH u AS (
  INSERT INTO users (id, seq) VALUES ('perf-u' || :u, 1)
  ON CONFLICT (id) DO UPDATE SET seq = users.seq + 1
  RETURNING seq),
k AS (SELECT gen_random_uuid() AS id, now() AS at),
t AS (
  INSERT INTO tasks (id, user_id, title, description, priority, created_at, updated_at)
  SELECT k.id, 'perf-u' || :u, 'pgbench task', NULL, 'medium', k.at, k.at FROM k)
INSERT INTO outbox (user_id, seq, type, subject, time, request_id, data)
SELECT 'perf-u' || :u, u.seq, 'task.created', k.id::text, k.at, 'pgbench-request-id-00000000000000',
  '{"task": {"id": "01a1fd3e-b942-78d4-b8d0-0d11a1087e3b", "title": "pgbench task", "description": null, "priority": "medium", "completed": false, "completedAt": null, "createdAt": "2026-11-21T08\u003a35\u003a08.738992Z", "updatedAt": "2026-11-21T08\u003a35\u003a08.738992Z", "version": 1}, "changes": {"title": {"old": null, "new": "pgbench task"}, "priority": {"old": null, "new": "medium"}}}'::json
FROM u, k
RETURNING id;
