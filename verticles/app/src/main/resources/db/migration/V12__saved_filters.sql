-- Saved filters: a user's named queries in the filter language, shown as views beside the fixed
-- ones (Today, Upcoming, Inbox...). The text is stored as typed; the api compiles it again on every
-- use, so relative bounds such as "due < 7d" stay relative. Names are unique per user whatever
-- their case. version makes each change a new strong ETag, as for tasks.
CREATE TABLE saved_filters (
  id         uuid PRIMARY KEY,
  user_id    text NOT NULL,
  name       text NOT NULL,
  filter     text NOT NULL,
  position   integer NOT NULL DEFAULT 0,
  version    integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX saved_filters_user_name ON saved_filters (user_id, lower(name));

GRANT SELECT, INSERT, UPDATE, DELETE ON saved_filters TO taskbus_user;
ALTER TABLE saved_filters ENABLE ROW LEVEL SECURITY;
CREATE POLICY saved_filters_owner ON saved_filters TO taskbus_user
  USING (user_id = current_setting('taskbus.user', true))
  WITH CHECK (user_id = current_setting('taskbus.user', true));

-- A replayed POST answers with the ETag of the first answer: stored with it, for resources whose
-- body does not carry a version to derive it from (a saved filter's).
ALTER TABLE idempotency_keys ADD COLUMN etag text;
