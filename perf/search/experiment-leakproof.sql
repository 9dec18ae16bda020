-- Experiment (perf/run-search.sh EXPERIMENT=leakproof): mark the operators' functions of the
-- tag and full-text conditions LEAKPROOF. Under row-level security PostgreSQL evaluates the
-- policy (user_id = current_setting('taskbus.user')) before any condition of the query whose
-- function is not leakproof, so "tags && $n", "tags @> $n" and "search @@ ..." can never be index
-- conditions for the role taskbus_user: the GIN indexes tasks_live_tags and tasks_live_search are
-- unusable by the API, and a rare tag or word is found by reading every task of the user.
-- Needs a superuser, changes built-in functions for the whole database, and is a security
-- decision (a leakproof function must not reveal anything about its arguments, e.g. in an error):
-- applied to the perf run's private database only, to measure what it would buy.
ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
ALTER FUNCTION pg_catalog.arrayoverlap(anyarray, anyarray) LEAKPROOF;
ALTER FUNCTION pg_catalog.arraycontains(anyarray, anyarray) LEAKPROOF;
