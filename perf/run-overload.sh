#!/usr/bin/env bash
# The "overload" scenario: creates arriving at twice the measured maximum, from a client that never
# queues a request itself, beside a baseline at half the maximum, in one run against one taskbus.
# Reports the accepted creates' latency percentiles for both, the goodput and the refusals (503
# with Retry-After is the expected answer to the excess). See perf/README.md.
#
# Starts its own taskbus (a copy of verticles/app/target/taskbus.jar, fresh embedded PostgreSQL and
# Kafka in a temporary directory, a free loopback port) and always stops it again.
#
# Environment (all optional):
#   WARMUP=20          seconds of closed-loop creates before the maximum is measured
#   DURATION=15        seconds of the maximum's measurement
#   OPEN_DURATION=20   seconds of each open-model phase (baseline, overload)
#   CLIENTS=16         the closed loop's connections (pg.poolSize: with more, requests queue and
#                      the api admits fewer, and the maximum would count refusals' retries)
#   USERS=20           users the tasks are spread over
#   FACTOR=2           the overload's arrival rate, times the maximum
#   BASE_FRACTION=0.5  the baseline's arrival rate, times the maximum
#   RATE_LIMIT=1000000 the app's per-user rate limit for the run (default 50/s per user would cap it)
#   APP_ENV=           more VAR=value for the app, e.g. "TASKBUS_PG_CONNECTIONTIMEOUTMS=5000"
#   APP_JAR=, LABEL=, KEEP_TMP=1, JAVA_OPTS=   as for every scenario (perf/README.md)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
perf_init overload "$@"
perf_opt WARMUP 20
perf_opt DURATION 15
perf_opt OPEN_DURATION 20
perf_opt CLIENTS 16
perf_opt USERS 20
perf_opt FACTOR 2
perf_opt BASE_FRACTION 0.5
perf_opt RATE_LIMIT 1000000
perf_opt APP_ENV ""
perf_build
# admission is this scenario's subject: the api keeps its configured queue target
PERF_ADMISSION=configured

DATA="$PERF_TMP/data"
PORT="$(perf_free_port)"
# shellcheck disable=SC2206 # APP_ENV is a list of VAR=value words
EXTRA=($APP_ENV)
perf_run_app app "$DATA" "$PORT" TASKBUS_API_RATELIMITPERSECOND="$RATE_LIMIT" \
  TASKBUS_API_RATELIMITBURST="$RATE_LIMIT" "${EXTRA[@]}"
BASE="http://127.0.0.1:$PORT"

STAMP="$(perf_results)"
RESULT="$PERF_DIR/results/$STAMP-overload.txt"
LABEL="$(perf_label)"
say "load generator: $WARMUP s warm-up, the maximum, then $OPEN_DURATION s at ${BASE_FRACTION}x and at ${FACTOR}x it"
java -Xms256m -Xmx1g -cp "$GENERATOR_JAR" io.taskbus.perf.OverloadScenario \
  --base-url "$BASE" --users "$USERS" --connections "$CLIENTS" --warmup "$WARMUP" \
  --max-duration "$DURATION" --open-duration "$OPEN_DURATION" --factor "$FACTOR" \
  --base-fraction "$BASE_FRACTION" --label "$LABEL; $(perf_opts_line)" >"$PERF_TMP/report.txt"
cp "$PERF_TMP/report.txt" "$RESULT"
cp "$PERF_TMP/app.log" "$PERF_DIR/results/$STAMP-overload-app.log"
echo
cat "$RESULT"
say "report written to ${RESULT#"$ROOT"/} (app log beside it)"
