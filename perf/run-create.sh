#!/usr/bin/env bash
# The "create" scenario: pgbench's throughput for the create transaction against the taskbus API's,
# then creates at a constant arrival rate with the commit-to-browser event delay. See perf/README.md.
#
# Starts its own taskbus (a copy of verticles/app/target/taskbus.jar, fresh embedded PostgreSQL and
# Kafka in a temporary directory, a free loopback port) and always stops it again.
#
# Environment (all optional):
#   DURATION=20        seconds of each measured phase (pgbench, max throughput, open model)
#   WARMUP=30          seconds of closed-loop creates before pgbench and the max-throughput
#   WARMUP_MAX=300     measurement, at least; then on until the app's JIT has settled (under 5 %
#                      of a core compiling over 10 s), at most WARMUP_MAX s in all. The app JVM
#                      (Kafka broker inside) JIT-compiles for about two minutes of full load on 2
#                      cores; measured earlier, the compiler threads take half a core from the app
#                      (and from pgbench). WARMUP_MAX=0: exactly WARMUP s.
#   REWARM=10          seconds of closed-loop creates after pgbench, before the measured window
#   CLIENTS=32         pgbench -c and the generator's connections
#   USERS=20           users (and WebSocket clients) tasks are spread over, round-robin
#   RATE=              open-model creates/s; empty: RATE_FRACTION of the measured taskbus maximum
#   RATE_FRACTION=0.5
#   OPEN_WARMUP=10     seconds at the open model's rate before it is measured, so that the window
#                      starts in that rate's steady state, not in the switch from the closed loop
#   PGBENCH_SCHEMA=perf_pgbench   schema of pgbench's copy of the tables; "public" shares the app's
#   RATE_LIMIT=1000000 the app's per-user rate limit (api.rateLimitPerSecond and burst) for the run:
#                      the default 50/s per user would cap 20 users at 1000 creates/s and measure
#                      the limiter, not the system; RATE_LIMIT=default keeps the configured one
#   APP_JAR=           the jar to test (default verticles/app/target/taskbus.jar, built if missing)
#   LABEL=             text for the report's first line (default: the jar's build time and commit)
#   KEEP_TMP=1         keep the temporary directory (app log, data, pgbench logs) for a post-mortem
#   JFR=1              record the app JVM (settings=profile, from its start: a recording started
#                      later makes the JIT compile everything again) and write where its CPU went
#                      after the warm-up and pgbench (perf/jfr-breakdown.py) beside the report
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
perf_init create "$@"
perf_opt DURATION 20
perf_opt WARMUP 30
perf_opt WARMUP_MAX 300
perf_opt REWARM 10
perf_opt CLIENTS 32
perf_opt USERS 20
perf_opt RATE 0
perf_opt OPEN_WARMUP 10
perf_opt RATE_FRACTION 0.5
perf_opt PGBENCH_SCHEMA perf_pgbench
perf_opt RATE_LIMIT 1000000
perf_need_pg_tools
[[ "$PGBENCH_SCHEMA" =~ ^[a-z_][a-z0-9_]*$ ]] || die "PGBENCH_SCHEMA must be a plain lower-case name"
perf_build

# --- start a private taskbus from a copy of the jar
DATA="$PERF_TMP/data"
PORT="$(perf_free_port)"
LIMITS=()
[[ "$RATE_LIMIT" == default ]] || LIMITS=(TASKBUS_API_RATELIMITPERSECOND="$RATE_LIMIT" TASKBUS_API_RATELIMITBURST="$RATE_LIMIT")
[[ "${JFR:-0}" == 1 ]] && JAVA_OPTS="${JAVA_OPTS:-} -XX:StartFlightRecording=name=create,settings=profile"
perf_run_app app "$DATA" "$PORT" "${LIMITS[@]}"
BASE="http://127.0.0.1:$PORT"

# --- pgbench: the same statement, the same concurrency, the same server
if [[ "$PGBENCH_SCHEMA" != public ]]; then
  "$PSQL" -q -v ON_ERROR_STOP=1 -v schema="$PGBENCH_SCHEMA" -f "$PERF_DIR/pgbench/schema.sql" >/dev/null
fi
# --- the load generator warms the app up (until its JIT settled) and holds; pgbench runs against
# the warm, idle app and a warm, idle generator (no JIT on the cores: right after their start, the
# app JVM with its Kafka broker compiles for minutes, which would slow pgbench down and flatter the
# ratio); then the generator measures: max throughput, then the open model with WebSocket clients
STAMP="$(perf_results)"
RESULT="$PERF_DIR/results/$STAMP-create.txt"
LABEL="$(perf_label)"
[[ "$RATE_LIMIT" == default ]] || LABEL="$LABEL; per-user rate limit set to $RATE_LIMIT/s for the run"
mkdir -p "$PERF_TMP/pgbench"
GO="$PERF_TMP/go"
HOLD=()
(( WARMUP > 0 || WARMUP_MAX > 0 )) && HOLD=(--hold "$GO" --rewarm "$REWARM")
say "load generator: warm-up ($WARMUP s, up to $WARMUP_MAX s until the app's JIT settled), pgbench, then max throughput and the open model"
run_pgbench() {
  say "pgbench: -c $CLIENTS -j 2 -T $DURATION -M prepared, schema $PGBENCH_SCHEMA"
  PGOPTIONS="-c search_path=$PGBENCH_SCHEMA" perf_timed_pgbench "$PERF_TMP/pgbench" "$APP_PID" "$PG_PID" \
    -n -c "$CLIENTS" -j 2 -T "$DURATION" -M prepared -D users="$USERS" -f "$PERF_DIR/pgbench/create-task.sql" \
    -l --log-prefix="$PERF_TMP/pgbench/log" >"$PERF_TMP/pgbench.cpu"
  grep -E '^(tps|latency average|number of (transactions actually processed|failed))' "$PERF_TMP/pgbench.out" >&2 || true
}
(( ${#HOLD[@]} )) || run_pgbench # no warm-up: pgbench first, on its own
GEN_RC=0
TASKBUS_PERF_APP_PID="$APP_PID" java -Xms256m -Xmx512m -jar "$GENERATOR_JAR" \
  --base-url "$BASE" --users "$USERS" --connections "$CLIENTS" \
  --warmup "$WARMUP" --warmup-max "$WARMUP_MAX" "${HOLD[@]}" --max-duration "$DURATION" --open-duration "$DURATION" \
  --open-warmup "$OPEN_WARMUP" --rate "$RATE" --rate-fraction "$RATE_FRACTION" \
  --pgbench-out "$PERF_TMP/pgbench.out" --pgbench-log-prefix "$PERF_TMP/pgbench/log" \
  --pgbench-schema "$PGBENCH_SCHEMA" --pgbench-cpu-file "$PERF_TMP/pgbench.cpu" \
  --label "$LABEL" >"$PERF_TMP/report.txt" &
GEN=$!
perf_track "$GEN"
(( ${#HOLD[@]} == 0 )) || perf_hold_pgbench "$GEN" "$GO"
MEASURED_FROM="$(date +%H:%M:%S)" # the recording's times are this machine's local times
wait "$GEN" || GEN_RC=$?
if [[ "${JFR:-0}" == 1 ]]; then
  jcmd "$APP_PID" JFR.dump name=create filename="$PERF_DIR/results/$STAMP-create.jfr" >/dev/null
  "$PERF_DIR/jfr-breakdown.py" "$PERF_DIR/results/$STAMP-create.jfr" "$MEASURED_FROM" \
    >"$PERF_DIR/results/$STAMP-create-jfr.txt"
  say "where the app JVM's CPU went: results/$STAMP-create-jfr.txt"
fi
[[ -s "$PERF_TMP/report.txt" ]] || die "the load generator failed (exit $GEN_RC) before its report"
cp "$PERF_TMP/report.txt" "$RESULT"
cp "$PERF_TMP/app.log" "$PERF_DIR/results/$STAMP-create-app.log"
echo
cat "$RESULT"
say "report written to ${RESULT#"$ROOT"/} (app log beside it)"
exit "$GEN_RC"
