-- Experiment (perf/run-search.sh EXPERIMENT=user-gin): GIN indexes that lead with the user
-- (btree_gin), so a tag or a word is looked up within one user's tasks in one index scan instead
-- of a BitmapAnd of the whole table's GIN index with a 100 000-entry bitmap of the user's rows.
-- They are only usable by the API's role together with EXPERIMENT=leakproof (see there): without
-- it, the plans do not change.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX IF NOT EXISTS tasks_live_user_tags ON tasks USING gin (user_id, tags)
  WHERE deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS tasks_live_user_search ON tasks USING gin (user_id, search)
  WHERE deleted_at IS NULL;
ANALYZE tasks;
