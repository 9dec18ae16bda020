-- Calendar subscription feeds: one secret feed URL per user, which calendar apps poll without a
-- bearer token. Only the SHA-256 of the secret is kept, so a copy of the database holds no usable
-- feed URL; a request is looked up by the hash of the secret it presents. Rotating replaces the
-- hash (the old URL stops working in the same commit), revoking deletes the row.
CREATE TABLE calendar_feeds (
  user_id    text PRIMARY KEY,
  token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The api manages a user's own feed as taskbus_user; serving a feed looks the secret's hash up
-- before anyone is known, with the connection's own role.
GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_feeds TO taskbus_user;
ALTER TABLE calendar_feeds ENABLE ROW LEVEL SECURITY;
CREATE POLICY calendar_feeds_owner ON calendar_feeds TO taskbus_user
  USING (user_id = current_setting('taskbus.user', true))
  WITH CHECK (user_id = current_setting('taskbus.user', true));
