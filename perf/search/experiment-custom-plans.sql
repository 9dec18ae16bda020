-- Experiment (perf/run-search.sh EXPERIMENT=custom-plans): every new session of this database plans
-- each execution of a prepared statement with its actual parameters (plan_cache_mode =
-- force_custom_plan), instead of switching to a generic plan after five executions. The generic
-- plan of a search estimates "user_id = $1" with the average user's row count, which is a
-- hundred times too low for a user with 100 000 tasks. Applied to the perf run's private database
-- only; run-search.sh restarts the app afterwards so that its pool's sessions pick it up.
-- The same effect in the app would be one more set_config('plan_cache_mode', 'force_custom_plan',
-- true) in UserDb's SCOPE statement (no extra round trip), or the connection option.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan', current_database());
END $$;
