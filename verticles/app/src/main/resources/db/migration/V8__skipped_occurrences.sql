-- Skipping an occurrence of a recurring task closes it like a completion (the series moves on to
-- the next one, exactly once, by the same path) but records that it was skipped, not done: the
-- series history and the calendar export tell the two apart.
ALTER TABLE tasks ADD COLUMN skipped boolean NOT NULL DEFAULT false;
