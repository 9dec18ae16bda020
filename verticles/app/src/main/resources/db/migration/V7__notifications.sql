-- Notifications: an inbox row per reminder event (the event id makes a redelivered event a no-op),
-- a pending delivery on the row (deliver_at; a lease so several notification processes never take
-- the same row at once), and a ledger keyed by (event, round, channel) so each delivery happens
-- once. A snooze starts a new round: the notification comes back and is delivered again.
CREATE SEQUENCE notifications_order;

CREATE TABLE notifications (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       text NOT NULL,
  event_id      text NOT NULL UNIQUE,
  type          text NOT NULL,
  task_id       uuid,
  title         text NOT NULL,
  body          text NOT NULL,
  fire_at       timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  sort_key      bigint NOT NULL DEFAULT nextval('notifications_order'),
  read_at       timestamptz,
  snoozed_until timestamptz,
  round         int NOT NULL DEFAULT 0,
  deliver_at    timestamptz,
  attempts      int NOT NULL DEFAULT 0,
  lease_until   timestamptz
);
CREATE INDEX notifications_inbox ON notifications (user_id, sort_key DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_pending ON notifications (deliver_at) WHERE deliver_at IS NOT NULL;

CREATE TABLE notification_deliveries (
  event_id   text NOT NULL,
  round      int NOT NULL,
  channel    text NOT NULL CHECK (channel IN ('push', 'email')),
  state      text NOT NULL CHECK (state IN ('sending', 'sent')),
  claimed_at timestamptz NOT NULL DEFAULT now(),
  sent_at    timestamptz,
  PRIMARY KEY (event_id, round, channel)
);

CREATE TABLE notification_settings (
  user_id       text PRIMARY KEY,
  email         text,
  email_enabled boolean NOT NULL DEFAULT true,
  push_enabled  boolean NOT NULL DEFAULT true,
  time_zone     text NOT NULL DEFAULT 'UTC',
  quiet_start   time,
  quiet_end     time,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
