-- The tables pgbench writes to: a copy of the app's users, tasks and outbox (same columns,
-- defaults, constraints, identity, indexes and statement trigger with its NOTIFY) in their own
-- schema, on the same server. The statement text is the app's; only search_path differs. The copy
-- keeps the app's outbox relay (which LISTENs on taskbus_outbox and reads public.outbox) from
-- shipping pgbench's rows to Kafka, so pgbench measures PostgreSQL alone. psql -v schema=NAME.
DROP SCHEMA IF EXISTS :"schema" CASCADE;
CREATE SCHEMA :"schema";
SET search_path = :"schema";
CREATE TABLE users (LIKE public.users INCLUDING ALL);
CREATE TABLE tasks (LIKE public.tasks INCLUDING ALL);
CREATE TABLE outbox (LIKE public.outbox INCLUDING ALL);
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('taskbus_outbox_pgbench', '');
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox
  FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
