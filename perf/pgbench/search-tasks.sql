-- pgbench script: the default first page of GET /api/v1/tasks, the same transaction as the API's:
--   UserDb.read: BEGIN READ ONLY; SELECT set_config('role', ...), set_config('taskbus.user', ...), set_config('plan_cache_mode', ...);
--   TaskQuery's SELECT for a request without parameters (status open, sort created desc, limit 50,
--   so LIMIT 51: one row more tells whether a next page exists); COMMIT.
-- The four statements with the user and the limit as parameters of prepared statements
-- (-M prepared), as the API's PG client sends them, in pgbench's default mode: each one when the
-- previous one answered. This is the baseline of the target (GET /tasks >= 0.70x pgbench running
-- the same SELECT). The API sends the four in one write; search-tasks-pipelined.sql has pgbench
-- do the same, and the report gives the ratio against it too.
-- The SELECT is not written here: perf/run-search.sh asks the app's own TaskQuery (in the jar under
-- test, see SearchPlans) for it and puts it in place of the line "-- @SELECT@", with :user and
-- :limit for $1 and $2, so pgbench always runs exactly the statement the API sends. The script it
-- ran is kept with the plans in perf/results/.
-- Run with: pgbench -M prepared -D user=perf-heavy -D limit=51 -f <the generated script>
BEGIN READ ONLY;
SELECT set_config('role', 'taskbus_user', true), set_config('taskbus.user', :user, true), set_config('plan_cache_mode', 'force_custom_plan', true);
-- @SELECT@
COMMIT;
