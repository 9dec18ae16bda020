-- The trace a change belongs to (W3C traceparent), so the relay can carry it into Kafka. An API
-- transaction sets taskbus.traceparent with its other settings; a row written elsewhere (a
-- reminder that fell due) or while tracing is off has none.
ALTER TABLE outbox ADD COLUMN traceparent text
  DEFAULT nullif(current_setting('taskbus.traceparent', true), '');
