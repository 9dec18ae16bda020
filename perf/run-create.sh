#!/usr/bin/env bash
# The "create" scenario: pgbench's throughput for the create transaction against the taskbus API's,
# then creates at a constant arrival rate with the commit-to-browser event delay. See perf/README.md.
#
# Starts its own taskbus (a copy of verticles/app/target/taskbus.jar, fresh embedded PostgreSQL and
# Kafka in a temporary directory, a free loopback port) and always stops it again.
#
# Environment (all optional):
#   DURATION=20        seconds of each measured phase (pgbench, max throughput, open model)
#   WARMUP=60          seconds of closed-loop load before the max-throughput measurement: the app
#                      JVM (Kafka broker inside) JIT-compiles for about a minute on 2 cores; with
#                      5 s it measures a cold JVM at a third of its warm throughput
#   CLIENTS=32         pgbench -c and the generator's connections
#   USERS=20           users (and WebSocket clients) tasks are spread over, round-robin
#   RATE=              open-model creates/s; empty: RATE_FRACTION of the measured taskbus maximum
#   RATE_FRACTION=0.5
#   PGBENCH_SCHEMA=perf_pgbench   schema of pgbench's copy of the tables; "public" shares the app's
#   RATE_LIMIT=1000000 the app's per-user rate limit (api.rateLimitPerSecond and burst) for the run:
#                      the default 50/s per user would cap 20 users at 1000 creates/s and measure
#                      the limiter, not the system; RATE_LIMIT=default keeps the configured one
#   APP_JAR=           the jar to test (default verticles/app/target/taskbus.jar, built if missing)
#   LABEL=             text for the report's first line (default: the jar's build time and commit)
#   KEEP_TMP=1         keep the temporary directory (app log, data, pgbench logs) for a post-mortem
set -euo pipefail

PERF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$PERF_DIR/.." && pwd)"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-60}"
CLIENTS="${CLIENTS:-32}"
USERS="${USERS:-20}"
RATE="${RATE:-0}"
RATE_FRACTION="${RATE_FRACTION:-0.5}"
PGBENCH_SCHEMA="${PGBENCH_SCHEMA:-perf_pgbench}"
RATE_LIMIT="${RATE_LIMIT:-1000000}"
JAR_GIVEN="${APP_JAR:+yes}"
APP_JAR="${APP_JAR:-$ROOT/verticles/app/target/taskbus.jar}"
PGBENCH="${PGBENCH:-$(command -v pgbench || echo /usr/bin/pgbench)}"
PSQL="${PSQL:-$(command -v psql || echo /usr/bin/psql)}"

say() { printf '[run-create] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

[[ -x "$PGBENCH" && -x "$PSQL" ]] || die "pgbench and psql are needed: apt-get install postgresql-client"
command -v java >/dev/null || die "java (17+) is needed"
command -v mvn >/dev/null || die "mvn is needed to build the app and the load generator"
[[ "$PGBENCH_SCHEMA" =~ ^[a-z_][a-z0-9_]*$ ]] || die "PGBENCH_SCHEMA must be a plain lower-case name"

# --- build (one Maven build at a time; offline first, the local repository usually has it all)
mvn_quiet() { mvn -B -o -q "$@" || mvn -B -q "$@"; }
if [[ ! -f "$APP_JAR" ]]; then
  say "building $APP_JAR (mvn install -DskipTests)"
  (cd "$ROOT" && mvn_quiet install -DskipTests)
fi
say "building the load generator (perf/pom.xml)"
(cd "$PERF_DIR" && mvn_quiet package)
GENERATOR_JAR="$PERF_DIR/target/taskbus-perf.jar"

# --- start a private taskbus from a copy of the jar
TMP="$(mktemp -d "${TMPDIR:-/tmp}/taskbus-perf.XXXXXX")"
APP_PID=""
cleanup() {
  local rc=$?
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    say "stopping taskbus (pid $APP_PID)"
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$APP_PID" 2>/dev/null; then
      say "taskbus did not stop within 30 s; killing pid $APP_PID"
      kill -KILL "$APP_PID" 2>/dev/null || true
    fi
  fi
  # the embedded PostgreSQL outlives a killed JVM; its postmaster's pid is in the data directory
  local pm="$TMP/data/postgres/postmaster.pid"
  if [[ -f "$pm" ]] && kill -0 "$(head -1 "$pm")" 2>/dev/null; then
    say "stopping the embedded PostgreSQL left behind (pid $(head -1 "$pm"))"
    kill -TERM "$(head -1 "$pm")" 2>/dev/null || true
    sleep 2
  fi
  if [[ "${KEEP_TMP:-0}" == 1 || $rc -ne 0 ]]; then
    say "kept $TMP (app.log, pgbench output and logs)"
  else
    rm -rf "$TMP"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cp "$APP_JAR" "$TMP/taskbus.jar"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || shuf -i 20000-60000 -n 1)"
say "starting taskbus on 127.0.0.1:$PORT (data in $TMP/data, log in $TMP/app.log)"
(
  cd "$TMP"
  if [[ "$RATE_LIMIT" != default ]]; then
    export TASKBUS_API_RATELIMITPERSECOND="$RATE_LIMIT" TASKBUS_API_RATELIMITBURST="$RATE_LIMIT"
  fi
  exec env -u TASKBUS_PG_URL -u TASKBUS_KAFKA_BOOTSTRAPSERVERS -u TASKBUS_CONFIG \
    TASKBUS_HTTP_HOST=127.0.0.1 TASKBUS_HTTP_PORT="$PORT" TASKBUS_DEV_DATADIR="$TMP/data" \
    java -jar "$TMP/taskbus.jar" >"$TMP/app.log" 2>&1
) &
APP_PID=$!

BASE="http://127.0.0.1:$PORT"
for i in $(seq 1 240); do
  kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$TMP/app.log" >&2; die "taskbus exited during start"; }
  if curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null; then break; fi
  [[ $i -lt 240 ]] || { tail -30 "$TMP/app.log" >&2; die "taskbus not ready after 120 s"; }
  sleep 0.5
done
PG_PORT="$(sed -n 's/.*embedded PostgreSQL on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/app.log" | head -1)"
[[ -n "$PG_PORT" ]] || die "no 'embedded PostgreSQL on 127.0.0.1:PORT' line in $TMP/app.log"
export PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=postgres PGDATABASE=postgres
PGPASSWORD="$(tr -d '\n' <"$TMP/data/postgres.password")"
export PGPASSWORD
say "taskbus ready (pid $APP_PID); PostgreSQL on 127.0.0.1:$PG_PORT"

# --- pgbench: the same statement, the same concurrency, the same server
if [[ "$PGBENCH_SCHEMA" != public ]]; then
  "$PSQL" -q -v ON_ERROR_STOP=1 -v schema="$PGBENCH_SCHEMA" -f "$PERF_DIR/pgbench/schema.sql" >/dev/null
fi
mkdir -p "$TMP/pgbench"
cpu_line() { head -1 /proc/stat 2>/dev/null || echo "cpu 0 0 0 0"; }
# jiffies: "<all busy> <postgres, incl. reaped backends> <app JVM>" (Linux /proc; zeros elsewhere)
ticks() {
  local busy
  busy="$(cpu_line | awk '{ for (i = 2; i <= 9 && i <= NF; i++) if (i != 5 && i != 6) b += $i; print b + 0 }')"
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v app="$APP_PID" -v busy="$busy" '
    { o = index($0, "("); c = index($0, ") "); comm = substr($0, o + 1, c - o - 1)
      split(substr($0, c + 2), f, " ")
      if (comm == "postgres") pg += f[12] + f[13] + f[14] + f[15]
      if ($1 == app) ap += f[12] + f[13] }
    END { print busy, pg + 0, ap + 0 }'
}
say "pgbench: -c $CLIENTS -j 2 -T $DURATION -M prepared, schema $PGBENCH_SCHEMA"
read -r BUSY0 PG0 APP0 <<<"$(ticks)"
T0="$(date +%s.%N)"
TIMEFORMAT='%U %S'
{ time PGOPTIONS="-c search_path=$PGBENCH_SCHEMA" "$PGBENCH" -n -c "$CLIENTS" -j 2 -T "$DURATION" \
    -M prepared -D users="$USERS" -f "$PERF_DIR/pgbench/create-task.sql" \
    -l --log-prefix="$TMP/pgbench/log" >"$TMP/pgbench.out" 2>&1 ; } 2>"$TMP/pgbench.time" \
  || { cat "$TMP/pgbench.out" >&2; die "pgbench failed"; }
sleep 0.2 # let the postmaster reap the backends, so their CPU shows in its cutime
read -r BUSY1 PG1 APP1 <<<"$(ticks)"
T1="$(date +%s.%N)"
read -r PGB_USER PGB_SYS <"$TMP/pgbench.time"
PGBENCH_CPU="$(awk -v b0="$BUSY0" -v b1="$BUSY1" -v p0="$PG0" -v p1="$PG1" -v a0="$APP0" -v a1="$APP1" \
  -v u="$PGB_USER" -v s="$PGB_SYS" -v t0="$T0" -v t1="$T1" -v n="$(nproc)" 'BEGIN {
    d = t1 - t0; busy = (b1 - b0) / 100 / d; pg = (p1 - p0) / 100 / d; app = (a1 - a0) / 100 / d
    cl = (u + s) / d; other = busy - pg - app - cl; if (other < 0) other = 0
    printf "%.0f%% of %d cores busy; cores used: postgres %.2f, pgbench client %.2f, app JVM (idle) %.2f, everything else %.2f",
      100 * busy / n, n, pg, cl, app, other }')"
grep -E '^(tps|latency average|number of (transactions actually processed|failed))' "$TMP/pgbench.out" >&2 || true


# --- the load generator: max throughput, then the open model with WebSocket clients
mkdir -p "$PERF_DIR/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULT="$PERF_DIR/results/$STAMP-create.txt"
if [[ -z "${LABEL:-}" ]]; then
  LABEL="jar built $(date -u -r "$APP_JAR" +%Y-%m-%dT%H:%MZ)"
  if [[ -z "$JAR_GIVEN" ]]; then
    LABEL="$LABEL; checkout at $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(
      cd "$ROOT" && git diff --quiet HEAD -- verticles 2>/dev/null || echo ' + uncommitted changes')"
  else
    LABEL="$LABEL: $APP_JAR"
  fi
fi
[[ "$RATE_LIMIT" == default ]] || LABEL="$LABEL; per-user rate limit set to $RATE_LIMIT/s for the run"
say "load generator: max throughput, then the open model (about $((WARMUP + 2 * DURATION + 15)) s)"
GEN_RC=0
TASKBUS_PERF_APP_PID="$APP_PID" java -Xms256m -Xmx512m -jar "$GENERATOR_JAR" \
  --base-url "$BASE" --users "$USERS" --connections "$CLIENTS" \
  --warmup "$WARMUP" --max-duration "$DURATION" --open-duration "$DURATION" \
  --rate "$RATE" --rate-fraction "$RATE_FRACTION" \
  --pgbench-out "$TMP/pgbench.out" --pgbench-log-prefix "$TMP/pgbench/log" \
  --pgbench-schema "$PGBENCH_SCHEMA" --pgbench-cpu "$PGBENCH_CPU" \
  --label "$LABEL" >"$TMP/report.txt" || GEN_RC=$?
[[ -s "$TMP/report.txt" ]] || die "the load generator failed (exit $GEN_RC) before its report"
cp "$TMP/report.txt" "$RESULT"
cp "$TMP/app.log" "$PERF_DIR/results/$STAMP-create-app.log"
echo
cat "$RESULT"
say "report written to ${RESULT#"$ROOT"/} (app log beside it)"
exit "$GEN_RC"
