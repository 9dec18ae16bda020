#!/usr/bin/env bash
# The "fan-out" scenario: many concurrent raw SockJS WebSocket clients on the bridge, each
# registered on its user's user.<id>.tasks, receiving the events of tasks created through the HTTP
# API (commit -> outbox -> Kafka -> event bus -> bridge -> client). Measures the server's heap per
# connection (heap used after a full GC with and without the connections), deliveries per second
# at fixed event rates, and the delay from the envelope's time to arrival. Then the same clients,
# payloads and rates against a bare Vert.x SockJS bridge (io.taskbus.perf.BareBridge: no auth, no
# taskbus logic), and the two side by side with the ratios. See "The fan-out scenario" in
# perf/README.md.
#
# Starts its own taskbus (fresh embedded PostgreSQL and Kafka in a temporary directory, a free
# loopback port) and its own bare bridge, one after the other, and always stops both.
#
# Environment (all optional):
#   CONNECTIONS=10000  WebSocket clients (each process may hold 20000 file descriptors here)
#   USERS=1000         users the clients are spread over (CONNECTIONS/USERS connections per user:
#                      every event reaches that many sockets)
#   RATES=100,300,600,800,1000 events/s of each step (creates/s for taskbus, publishes/s for bare); each
#                      step WARMUP s unmeasured, then DURATION s measured, then up to SETTLE s for
#                      the last deliveries
#   WARMUP=5 DURATION=15 SETTLE=5
#   JIT_WARMUP_MAX=300 before the first step, events at the middle rate until the server's JIT has
#                      settled (under 5 % of a core compiling over 10 s), at most this many seconds;
#                      0: none
#   SOURCE_IPS=4       client source addresses 127.0.0.1..127.0.0.N (ephemeral ports per address)
#   EVENT_LOOPS=2      the load client's event loops
#   CONNECT_CONCURRENCY=256   WebSocket handshakes in flight at once
#   SERVER_HEAP=2g     -Xmx of the taskbus JVM and of the bare bridge JVM (both G1)
#   MODES="taskbus bare"      which servers to run (the report needs both)
#   RATE_LIMIT=1000000 the app's per-user API rate limit for the run
#   JFR=1              record both servers with Java Flight Recorder (settings=profile); the
#                      recordings and their top sampled frames go to perf/results/
#   APP_JAR=           the jar to test (default verticles/app/target/taskbus.jar, built if missing)
#   LABEL=             text for the report's first line (default: the jar's build time and commit)
#   KEEP_TMP=1         keep the temporary directory (logs) for a post-mortem
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
perf_init fanout "$@"
perf_opt CONNECTIONS 10000
perf_opt USERS 1000
perf_opt RATES 100,300,600,800,1000
perf_opt WARMUP 5
perf_opt JIT_WARMUP_MAX 300
perf_opt DURATION 15
perf_opt SETTLE 5
perf_opt SOURCE_IPS 4
perf_opt EVENT_LOOPS 2
perf_opt CONNECT_CONCURRENCY 256
perf_opt SERVER_HEAP 2g
perf_opt MODES "taskbus bare"
perf_opt RATE_LIMIT 1000000
command -v jcmd >/dev/null || die "jcmd (JDK) is needed to measure the servers' heap"
FDS="$(ulimit -n)"
if [[ "$FDS" != unlimited && "$FDS" -lt $((CONNECTIONS + 2000)) ]]; then
  die "ulimit -n is $FDS: $CONNECTIONS connections need $((CONNECTIONS + 2000)) file descriptors per process"
fi
perf_build
MACHINE="$(perf_machine)"
LABEL="$(perf_label)"
STAMP="$(perf_results)"
RESULT="$PERF_DIR/results/$STAMP-fanout.txt"
SERVER_JAVA="-Xms512m -Xmx$SERVER_HEAP -XX:+UseG1GC"
jfr_opts() { [[ "${JFR:-0}" == 1 ]] && echo " -XX:StartFlightRecording=filename=$PERF_TMP/$1.jfr,settings=profile,dumponexit=true" || true; }
# jfr_top NAME: the most sampled top frames of a recording (where the CPU went)
jfr_top() {
  [[ -s "$PERF_TMP/$1.jfr" ]] || return 0
  cp "$PERF_TMP/$1.jfr" "$PERF_DIR/results/$STAMP-fanout-$1.jfr"
  jfr print --events jdk.ExecutionSample "$PERF_TMP/$1.jfr" \
    | awk '/stackTrace = \[/ { getline; sub(/^ +/, ""); sub(/ +line:.*/, ""); n[$0]++; t++ }
           END { for (f in n) printf "%6d %5.1f%%  %s\n", n[f], 100 * n[f] / t, f }' \
    | sort -rn | head -25 >"$PERF_DIR/results/$STAMP-fanout-$1-jfr-top.txt" || true
}

# generator MODE URL PID [args...]: one FanoutScenario run; its key=value results in $PERF_TMP/MODE.properties
generator() {
  local mode="$1" url="$2" pid="$3"; shift 3
  say "$mode: $CONNECTIONS connections over $USERS users, then $RATES events/s"
  local rc=0
  # TASKBUS_PERF_PG_PID: only this run's PostgreSQL counts as "postgres" (the bare run has none)
  TASKBUS_PERF_PG_PID="${PG_PID_OF_RUN:-999999999}" java -Xms1g -Xmx2g -XX:+UseG1GC -cp "$GENERATOR_JAR" io.taskbus.perf.FanoutScenario --mode "$mode" \
    --base-url "$url" --connections "$CONNECTIONS" --users "$USERS" --rates "$RATES" \
    --warmup "$WARMUP" --jit-warmup-max "$JIT_WARMUP_MAX" --duration "$DURATION" --settle "$SETTLE" --source-ips "$SOURCE_IPS" \
    --event-loops "$EVENT_LOOPS" --connect-concurrency "$CONNECT_CONCURRENCY" --server-pid "$pid" \
    --label "$LABEL" "$@" >"$PERF_TMP/$mode.properties" 2> >(tee -a "$PERF_TMP/$mode-generator.log" >&2) &
  local gen=$!
  perf_track "$gen"
  wait "$gen" || rc=$?
  [[ $rc -eq 0 ]] || say "$mode: the generator exited with $rc"
}

if [[ " $MODES " == *" taskbus "* ]]; then
  PORT="$(perf_free_port)"
  LIMITS=()
  [[ "$RATE_LIMIT" == default ]] || LIMITS=(TASKBUS_API_RATELIMITPERSECOND="$RATE_LIMIT" TASKBUS_API_RATELIMITBURST="$RATE_LIMIT")
  JAVA_OPTS="$SERVER_JAVA$(jfr_opts taskbus)" perf_run_app taskbus "$PERF_TMP/data" "$PORT" "${LIMITS[@]}"
  PG_PID_OF_RUN="$PG_PID" generator taskbus "http://127.0.0.1:$PORT" "$APP_PID" --payload-out "$PERF_TMP/payload.json"
  perf_stop_all
fi

if [[ " $MODES " == *" bare "* ]]; then
  PORT="$(perf_free_port)"
  say "starting the bare bridge on 127.0.0.1:$PORT (log in $PERF_TMP/bare.log)"
  # shellcheck disable=SC2086
  java $SERVER_JAVA$(jfr_opts bare) -cp "$GENERATOR_JAR" io.taskbus.perf.BareBridge --port "$PORT" >"$PERF_TMP/bare.log" 2>&1 &
  BARE_PID=$!
  perf_track "$BARE_PID"
  for i in $(seq 1 60); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/ready" 2>/dev/null && break
    kill -0 "$BARE_PID" 2>/dev/null || { cat "$PERF_TMP/bare.log" >&2; die "the bare bridge exited"; }
    [[ $i -lt 60 ]] || die "the bare bridge is not ready after 30 s"
    sleep 0.5
  done
  PAYLOAD=()
  [[ -s "$PERF_TMP/payload.json" ]] && PAYLOAD=(--payload-in "$PERF_TMP/payload.json")
  generator bare "http://127.0.0.1:$PORT" "$BARE_PID" "${PAYLOAD[@]}"
  perf_stop_pid "$BARE_PID"
fi

jfr_top taskbus
jfr_top bare
TITLE="taskbus perf: fan-out scenario, $STAMP ($LABEL)
$MACHINE
options: $(perf_opts_line)"
java -cp "$GENERATOR_JAR" io.taskbus.perf.FanoutReport --taskbus "$PERF_TMP/taskbus.properties" \
  --bare "$PERF_TMP/bare.properties" --title "$TITLE" >"$RESULT"
cp "$PERF_TMP/taskbus.properties" "$PERF_DIR/results/$STAMP-fanout-taskbus.properties" 2>/dev/null || true
cp "$PERF_TMP/bare.properties" "$PERF_DIR/results/$STAMP-fanout-bare.properties" 2>/dev/null || true
cp "$PERF_TMP/taskbus.log" "$PERF_DIR/results/$STAMP-fanout-app.log" 2>/dev/null || true
echo
cat "$RESULT"
say "report written to ${RESULT#"$ROOT"/} (raw results and the app log beside it)"
