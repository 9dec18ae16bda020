#!/bin/bash
# Restores a dump written by k8s/postgres/backup into the database PGDATABASE. Stop every taskbus
# pod first (k8s/README.md, "Backups and restore"). DUMP names a file in $BACKUP_DIR, or "latest".
# The dump's objects are dropped and created again in one transaction: a failure changes nothing.
# libpq reads PGHOST, PGUSER, PGPASSWORD and PGDATABASE; PGUSER must be the server's superuser
# (the official image's POSTGRES_USER is).
set -euo pipefail
dir=${BACKUP_DIR:-/backups}
dump=${DUMP:-latest}
gap=${ID_GAP:-1000000000}
if [ "$dump" = latest ]; then
  dump=$(ls -1 "$dir" | grep -E '^taskbus-[0-9]{8}T[0-9]{6}Z\.dump$' | sort | tail -n 1 || true)
fi
if [ -z "$dump" ] || [ ! -f "$dir/$dump" ]; then
  echo "no dump '$dump' in $dir; there are:" >&2
  ls -l "$dir" >&2
  exit 1
fi
echo "restoring $dir/$dump into $PGDATABASE on $PGHOST"

# What a database's dump does not hold, because it belongs to the server: the role the API's
# row-level security runs as, and the LEAKPROOF marks that let searches use their indexes (the
# V2 and V9 migrations made them). A fresh server needs them before the dump's grants.
psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages TO warning;
SELECT 'CREATE ROLE taskbus_user NOLOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'taskbus_user') \gexec
GRANT taskbus_user TO CURRENT_USER;
ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
ALTER FUNCTION pg_catalog.arrayoverlap(anyarray, anyarray) LEAKPROOF;
ALTER FUNCTION pg_catalog.arraycontains(anyarray, anyarray) LEAKPROOF;
SQL

pg_restore --clean --if-exists --single-transaction --exit-on-error --dbname="$PGDATABASE" "$dir/$dump"

# Kafka and the browsers outlived the database: the events written after the dump went out with
# event ids and per-user sequence numbers that the restored database would hand out again, and
# every consumer (the audit included) takes an event id only once, the page a sequence number
# only once. Move both past anything the lost writes can have used (ID_GAP=0 when Kafka was
# restored to the same moment, or rebuilt empty).
if [ "$gap" -gt 0 ]; then
  psql --no-psqlrc --quiet -At -v ON_ERROR_STOP=1 -v gap="$gap" <<'SQL'
BEGIN;
SELECT 'the next event id is above ' || setval(pg_get_serial_sequence('outbox', 'id'),
                                               nextval(pg_get_serial_sequence('outbox', 'id')) + :gap);
UPDATE users SET seq = seq + :gap;
COMMIT;
SQL
fi

psql --no-psqlrc -At -v ON_ERROR_STOP=1 <<'SQL'
SELECT 'tasks: ' || count(*) FROM tasks;
SELECT 'audit log rows: ' || count(*) FROM audit_log;
SELECT 'outbox rows (the relay sends them once taskbus runs): ' || count(*) FROM outbox;
SELECT 'migrations: ' || max(version::int) FROM flyway_schema_history WHERE success;
SQL
