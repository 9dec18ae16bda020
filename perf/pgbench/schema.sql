-- The tables pgbench writes to: copies of the app's users, tasks, outbox and reminders in their own schema on
-- the same server, with what makes a write cost what it costs in the app: columns, defaults,
-- generated columns, constraints, identity, indexes (LIKE ... INCLUDING ALL), row-level security
-- and its policies, grants to taskbus_user, and the outbox's statement trigger with its NOTIFY.
-- The only difference: the trigger notifies channel taskbus_outbox_pgbench, and the rows are not
-- in public.outbox, so the app's outbox relay neither wakes up for nor ships pgbench's rows, and
-- pgbench measures PostgreSQL alone. The statement text is the app's; only search_path differs.
-- Usage: psql -v schema=perf_pgbench -f schema.sql (after the app has run its migrations).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SELECT set_config('perf.schema', :'schema', false);
DO $$
DECLARE
  s text := current_setting('perf.schema');
  t text;
  p record;
  extra text;
BEGIN
  EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', s);
  EXECUTE format('CREATE SCHEMA %I', s);
  FOREACH t IN ARRAY ARRAY['users', 'tasks', 'outbox', 'reminders'] LOOP
    EXECUTE format('CREATE TABLE %I.%I (LIKE public.%I INCLUDING ALL)', s, t, t);
    IF (SELECT relrowsecurity FROM pg_class WHERE oid = format('public.%I', t)::regclass) THEN
      EXECUTE format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', s, t);
    END IF;
    FOR p IN SELECT * FROM pg_policies WHERE schemaname = 'public' AND tablename = t LOOP
      EXECUTE format('CREATE POLICY %I ON %I.%I AS %s FOR %s TO %s%s%s', p.policyname, s, t,
        p.permissive, p.cmd,
        (SELECT string_agg(quote_ident(r), ', ') FROM unnest(p.roles) r),
        CASE WHEN p.qual IS NULL THEN '' ELSE ' USING (' || p.qual || ')' END,
        CASE WHEN p.with_check IS NULL THEN '' ELSE ' WITH CHECK (' || p.with_check || ')' END);
    END LOOP;
  END LOOP;
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'taskbus_user') THEN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO taskbus_user', s);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO taskbus_user', s);
    EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO taskbus_user', s);
  END IF;
  EXECUTE format($f$CREATE FUNCTION %I.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS
    'BEGIN PERFORM pg_notify(''taskbus_outbox_pgbench'', ''''); RETURN NULL; END'$f$, s);
  EXECUTE format('CREATE TRIGGER outbox_inserted AFTER INSERT ON %I.outbox'
    ' FOR EACH STATEMENT EXECUTE FUNCTION %I.outbox_notify()', s, s);
  -- a trigger added to the app's tables later would make the copy cheaper than the original
  SELECT string_agg(tgname || ' ON ' || tgrelid::regclass::text, ', ') INTO extra
    FROM pg_trigger
    WHERE NOT tgisinternal AND tgrelid IN ('public.users'::regclass, 'public.tasks'::regclass,
      'public.outbox'::regclass, 'public.reminders'::regclass) AND tgname <> 'outbox_inserted';
  IF extra IS NOT NULL THEN
    RAISE EXCEPTION 'perf/pgbench/schema.sql does not copy trigger(s) %: update it', extra;
  END IF;
END $$;
