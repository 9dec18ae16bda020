-- Recurring tasks: every occurrence is a task of its series. The series is anchored at its start
-- (a local date, or a local date-time in the task's zone); each occurrence remembers which one it
-- is, and a series never has the same occurrence twice: that is what makes "complete creates the
-- next one" idempotent when a completion is delivered twice or two recurrence verticles race.
ALTER TABLE tasks
  ADD COLUMN recurrence   jsonb,
  ADD COLUMN series_id    uuid,
  ADD COLUMN series_start text,
  ADD COLUMN occurrence   text;
CREATE UNIQUE INDEX tasks_series_occurrence ON tasks (series_id, occurrence) WHERE series_id IS NOT NULL;
