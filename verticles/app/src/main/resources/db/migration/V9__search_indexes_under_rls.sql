-- Tag and full-text searches that use an index for the API's role.
--
-- Under row-level security PostgreSQL evaluates the policy (user_id = taskbus.user) before any
-- condition of the query whose function is not LEAKPROOF, so "tags && $n", "tags @> $n" and
-- "search @@ $q" could never be index conditions for the role taskbus_user: the GIN indexes were
-- unused, and a rare tag or word read every task of the user (perf/README.md, the search
-- scenario). The three functions behind those operators compare their arguments and return a
-- boolean; they raise no error that depends on the values and have no side effects, which is what
-- LEAKPROOF promises, so we mark them. That takes a superuser: where the migration runs as a
-- database owner that is not one, it says so and leaves it for an administrator (the searches stay
-- right, only slower for rare tags and words):
--   ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF; (and the two below)
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
    ALTER FUNCTION pg_catalog.arrayoverlap(anyarray, anyarray) LEAKPROOF;
    ALTER FUNCTION pg_catalog.arraycontains(anyarray, anyarray) LEAKPROOF;
  ELSE
    RAISE NOTICE 'not a superuser: ask an administrator to mark ts_match_vq, arrayoverlap and '
      'arraycontains LEAKPROOF, or tag and word searches cannot use their indexes (V9 migration)';
  END IF;
END $$;

-- GIN indexes that lead with the user (btree_gin is a trusted extension: a database owner may
-- create it), so a tag or a word is looked up within one user's tasks in one index scan rather
-- than intersecting the whole table's index with a bitmap of the user's rows. They replace the
-- table-wide ones, which no query can use better.
CREATE EXTENSION IF NOT EXISTS btree_gin;
DROP INDEX tasks_live_tags;
DROP INDEX tasks_live_search;
CREATE INDEX tasks_live_user_tags ON tasks USING gin (user_id, tags) WHERE deleted_at IS NULL;
CREATE INDEX tasks_live_user_search ON tasks USING gin (user_id, search) WHERE deleted_at IS NULL;
