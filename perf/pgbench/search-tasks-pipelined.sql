-- pgbench script: the statements of search-tasks.sql (the API's GET /tasks transaction) sent as
-- one pipeline, as UserDb.read sends them in one write before it reads an answer. pgbench ends
-- its pipeline with one Sync, where the API's client sends one per statement; PostgreSQL then
-- answers in one flush instead of four, so this is the stricter of the two baselines.
-- perf/run-search.sh puts the API's SELECT in place of "-- @SELECT@", as for search-tasks.sql.
-- Run with: pgbench -M prepared -D user=perf-heavy -D limit=51 -f <the generated script>
\startpipeline
BEGIN READ ONLY;
SELECT set_config('role', 'taskbus_user', true), set_config('taskbus.user', :user, true), set_config('plan_cache_mode', 'force_custom_plan', true);
-- @SELECT@
COMMIT;
\endpipeline
