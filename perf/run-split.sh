#!/usr/bin/env bash
# The "split" scenario: what splitting the verticles over processes costs. The same closed-loop
# creates run against the single layout (one process with every verticle) and the split layout
# (APIS api processes taking the creates in turn, a bridge, and WORKER_PROCESSES workers = the
# rest, the relay among them, sharing the outbox's shards; all joined by the clustered event bus),
# alternately, in one command on the same machine (same cores, same load around them). Every
# user's WebSocket is on the bridge process, so every event crosses processes in the split layout,
# and every push is checked against its user's order.
# See "The split scenario" in perf/README.md.
#
# Each layout run starts from fresh embedded PostgreSQL and Kafka (hosted by the process that runs
# the api; the others are configured with its addresses and key), clustered as in Kubernetes, and is
# stopped again. Only loopback addresses are used.
#
# Environment (all optional):
#   ROUNDS=2         single/split pairs (single first in each)
#   WARMUP=30        seconds of closed-loop warm-up before each measurement, at least
#   WARMUP_MAX=300   then on until every process's JIT has settled (under 5 % of a core compiling
#                    over 10 s), at most this many seconds in all; WARMUP_MAX=0: WARMUP exactly
#   DURATION=20      seconds measured
#   CONNECTIONS=32   concurrent creates
#   USERS=20         users (one WebSocket each on the bridge)
#   APIS=2           api processes in the split layout
#   WORKER_PROCESSES=2  worker processes (each with a relay) in the split layout
#   TASKBUS_JAR=     the jar (default verticles/app/target/taskbus.jar, built if missing)
#   KEEP_TMP=1       keep the temporary directory (process logs)
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
perf_init split "$@"
perf_opt ROUNDS 2
perf_opt WARMUP 30
perf_opt WARMUP_MAX 300
perf_opt DURATION 20
perf_opt CONNECTIONS 32
perf_opt USERS 20
perf_opt APIS 2
perf_opt WORKER_PROCESSES 2
# what k8s/overlays/split gives its workers Deployment
perf_opt WORKERS "$(sed -n 's/^ *value: \(kafka,.*\)$/\1/p' "$ROOT/k8s/overlays/split/workers/kustomization.yaml")"
perf_build
TASKBUS_JAR="$APP_JAR"
TMP="$PERF_TMP"
PIDS=()
DATA=""

# start NAME [VAR=value ...]: a clustered taskbus process in the background, its log in $TMP/NAME.log
start() {
  local name="$1"; shift
  local port
  port="$(printf '%s\n' "$@" | sed -n 's/^TASKBUS_HTTP_PORT=//p')"
  JAVA_OPTS="-Xmx1g" perf_app_start "$name" "$DATA" "$port" TASKBUS_CLUSTER=true \
    TASKBUS_HAZELCAST_HOST=127.0.0.1 TASKBUS_API_RATELIMITPERSECOND=1000000 \
    TASKBUS_API_RATELIMITBURST=1000000 "$@"
  PIDS+=("$APP_PID")
}
wait_ready() { perf_app_ready "$1" "$2"; }
stop_all() { perf_stop_all; PIDS=(); }
free_port() { perf_free_port; }
cpu_ticks() { perf_pid_ticks "$@"; }
postgres_ticks() { # the postmaster of this layout and its backends (exited ones included)
  local pm
  pm="$(head -1 "$DATA/postgres/postmaster.pid" 2>/dev/null || echo 0)"
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v pm="$pm" '{ c = index($0, ") "); split(substr($0, c + 2), f, " ");
    if ($1 == pm || f[2] == pm) t += f[12] + f[13] + f[14] + f[15] } END { print t + 0 }'
}

# measure LAYOUT API_PORTS BRIDGE_PORT: one SplitRun (creates taking turns over the api ports,
# comma-separated), its RESULT line plus the CPU it took
measure() {
  local layout="$1" api="$2" bridge="$3" before pg_before after pg_after t0 t1 line each_before=() per="" gen
  local jit_before=() jit=""
  # emptied here, not by the background job's redirection: that one may come after the wait below
  # has read the last run's MEASURING, and the CPU window would start with the warm-up
  : >"$TMP/generator.out"
  java -Xmx512m -cp "$GENERATOR_JAR" io.taskbus.perf.SplitRun --api-url "$(sed 's|\([0-9][0-9]*\)|http://127.0.0.1:\1|g' <<<"$api")" \
    --bridge-url "http://127.0.0.1:$bridge" --users "$USERS" --connections "$CONNECTIONS" \
    --warmup "$WARMUP" --warmup-max "$WARMUP_MAX" --app-pids "$(IFS=,; echo "${PIDS[*]}")" \
    --duration "$DURATION" >"$TMP/generator.out" 2>>"$TMP/generator.log" &
  gen=$!
  # CPU is counted over the measured window (from the generator's MEASURING line) and the few
  # seconds of event settling
  until grep -q '^MEASURING' "$TMP/generator.out" 2>/dev/null; do
    kill -0 "$gen" 2>/dev/null || die "the generator ended before measuring (see $TMP/generator.log)"
    sleep 0.2
  done
  before="$(cpu_ticks "${PIDS[@]}")"; pg_before="$(postgres_ticks)"; t0="$(date +%s.%N)"
  for pid in "${PIDS[@]}"; do each_before+=("$(cpu_ticks "$pid")"); jit_before+=("$(perf_jit_ticks "$pid")"); done
  wait "$gen" || true
  line="$(grep '^RESULT' "$TMP/generator.out" || true)"
  after="$(cpu_ticks "${PIDS[@]}")"; pg_after="$(postgres_ticks)"; t1="$(date +%s.%N)"
  for i in "${!PIDS[@]}"; do
    per="$per$(awk -v a="${each_before[$i]}" -v b="$(cpu_ticks "${PIDS[$i]}")" -v t0="$t0" -v t1="$t1" \
      'BEGIN { printf "%.2f", (b - a) / 100 / (t1 - t0) }')/"
    jit="$jit$(awk -v a="${jit_before[$i]}" -v b="$(perf_jit_ticks "${PIDS[$i]}")" -v t0="$t0" -v t1="$t1" \
      'BEGIN { printf "%.2f", (b - a) / 100 / (t1 - t0) }')/"
  done
  [[ -n "$line" ]] || die "the generator printed no RESULT (see $TMP/generator.log)"
  awk -v l="$layout" -v a="$before" -v b="$after" -v p="$pg_before" -v q="$pg_after" -v t0="$t0" -v t1="$t1" \
    -v load="$(cut -d' ' -f1 /proc/loadavg)" -v r="$line" -v per="${per%/}" -v jit="${jit%/}" \
    'BEGIN { printf "%s %s taskbus_cores=%.2f per_process_cores=%s jit_cores=%s postgres_cores=%.2f loadavg=%s\n", l, r, (b - a) / 100 / (t1 - t0), per, jit, (q - p) / 100 / (t1 - t0), load }' \
    | tee -a "$RESULT"
  # per create: the CPU above (the window and the events' settling) over the window's creates
  echo "  $layout $(java -cp "$GENERATOR_JAR" io.taskbus.perf.CpuCost create \
    "$(sed -n 's/.* created=\([0-9]*\).*/\1/p' <<<"$line")" "taskbus JVMs=$((after - before))" \
    "postgres=$((pg_after - pg_before))")" | tee -a "$RESULT"
}

run_single() {
  DATA="$TMP/data-single-$1"
  local http hz
  http="$(free_port)"; hz="$(free_port)"
  say "single: one process, every verticle (http $http)"
  start single TASKBUS_HTTP_PORT="$http" \
    TASKBUS_HAZELCAST_PORT="$hz" TASKBUS_HAZELCAST_MEMBERS="127.0.0.1:$hz"
  wait_ready single "$http"
  measure single "$http" "$http"
  stop_all
}

run_split() {
  DATA="$TMP/data-split-$1"
  local names=() http=() hz=() members="" i pg kafka password key bridge
  for i in $(seq 1 "$APIS"); do names+=("api-$i"); done
  names+=(bridge)
  for i in $(seq 1 "$WORKER_PROCESSES"); do names+=("workers-$i"); done
  for i in "${!names[@]}"; do
    http+=("$(free_port)"); hz+=("$(free_port)"); members="$members${members:+,}127.0.0.1:${hz[$i]}"
  done
  bridge="${http[$APIS]}"
  say "split: ${names[*]} (api-1 hosts the embedded PostgreSQL and Kafka; http ${http[*]})"
  start api-1 TASKBUS_VERTICLES=api TASKBUS_HTTP_PORT="${http[0]}" TASKBUS_HAZELCAST_PORT="${hz[0]}" \
    TASKBUS_HAZELCAST_MEMBERS="$members"
  wait_ready api-1 "${http[0]}"
  pg="$(sed -n 's/.*embedded PostgreSQL on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/api-1.log" | head -1)"
  kafka="$(sed -n 's/.*embedded Kafka on \(127\.0\.0\.1:[0-9]*\).*/\1/p' "$TMP/api-1.log" | head -1)"
  password="$(tr -d '\n' <"$DATA/postgres.password")"
  key="$(tr -d '\n' <"$DATA/dev-jwt.key")"
  [[ -n "$pg" && -n "$kafka" ]] || die "no embedded PostgreSQL/Kafka address in $TMP/api-1.log"
  local shared=(TASKBUS_PG_URL="postgresql://postgres:$password@127.0.0.1:$pg/postgres"
    TASKBUS_KAFKA_BOOTSTRAPSERVERS="$kafka" TASKBUS_AUTH_JWTSECRET="$key"
    TASKBUS_HAZELCAST_MEMBERS="$members")
  for i in "${!names[@]}"; do
    [[ $i -eq 0 ]] && continue
    local verticles=api
    [[ "${names[$i]}" == bridge ]] && verticles=bridge
    [[ "${names[$i]}" == workers-* ]] && verticles="$WORKERS"
    start "${names[$i]}" "${shared[@]}" TASKBUS_VERTICLES="$verticles" TASKBUS_HTTP_PORT="${http[$i]}" \
      TASKBUS_HAZELCAST_PORT="${hz[$i]}"
  done
  for i in "${!names[@]}"; do
    [[ $i -eq 0 ]] || wait_ready "${names[$i]}" "${http[$i]}"
  done
  measure split "$(IFS=,; echo "${http[*]:0:$APIS}")" "$bridge"
  stop_all
}

STAMP="$(perf_results)"
RESULT="$PERF_DIR/results/$STAMP-split.txt"
{
  echo "# run-split $STAMP: checkout $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)," \
    "jar built $(date -u -r "$TASKBUS_JAR" +%Y-%m-%dT%H:%MZ); $(nproc) cores;" \
    "ROUNDS=$ROUNDS WARMUP=$WARMUP WARMUP_MAX=$WARMUP_MAX DURATION=$DURATION CONNECTIONS=$CONNECTIONS USERS=$USERS" \
    "APIS=$APIS WORKER_PROCESSES=$WORKER_PROCESSES"
} >"$RESULT"
for round in $(seq 1 "$ROUNDS"); do
  run_single "$round"
  run_split "$round"
done

awk '
  /^(single|split) RESULT/ {
    for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    n[$1]++; rate[$1] += v["rate"]; want[$1] += v["expected"]; rec[$1] += v["received"]
    miss[$1] += v["missing"]; fail[$1] += v["failed"]; disorder[$1] += v["out_of_order"]
    cores[$1] += v["taskbus_cores"] + v["postgres_cores"]
  }
  END {
    for (l in n) printf "%-6s mean %.1f creates/s over %d runs on %.2f cores (taskbus + PostgreSQL): %.0f creates per core-second; events received/expected %d/%d = %.3f; missing %d; out of order %d; failed creates %d\n",
      l, rate[l] / n[l], n[l], cores[l] / n[l], rate[l] / cores[l], rec[l], want[l], want[l] ? rec[l] / want[l] : 0, miss[l], disorder[l], fail[l]
    if (n["single"] && n["split"]) {
      ratio = (rate["split"] / n["split"]) / (rate["single"] / n["single"])
      printf "split/single throughput: %.2f (target >= 0.85); per core-second: %.2f; split delivery ratio: %.3f (target 1.000)\n",
        ratio, (rate["split"] / cores["split"]) / (rate["single"] / cores["single"]), want["split"] ? rec["split"] / want["split"] : 0
    }
  }' "$RESULT" | tee -a "$RESULT"
say "results in ${RESULT#"$ROOT"/}"
