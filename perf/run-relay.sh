#!/usr/bin/env bash
# The "relay" scenario: how fast 1, 2 and 4 relay processes drain a backlog of outbox rows into
# Kafka (creates paused), against a bare kafka-clients producer with the relay's settings sending
# as many records of the same keys and sizes to the same broker from the same machine. See "The
# relay scenario" in perf/README.md.
#
# One api process (TASKBUS_VERTICLES=api; it migrates the schema and hosts the embedded PostgreSQL
# and Kafka) runs throughout, with no relay. One real create gives a task.created outbox row, kept
# aside as the template. Each round: RELAYS processes running only the kafka verticle (the relay;
# their Kafka subscriptions are switched off, so they consume nothing) start on the empty outbox
# and share its relay.shards shards; once each holds its share, one transaction inserts BACKLOG
# copies of the template (USERS users, a fresh task id each) and commits, so the backlog appears
# at once; the round is timed from the first new record in task-events to the last (its end
# offsets), with the CPU of the relay JVMs, PostgreSQL and the Kafka broker's JVM over that window;
# then the outbox must be empty. The relays are stopped after each round. Finally the bare
# producer sends BACKLOG records twice in one JVM (cold, then warm), as fast as it can, and twice
# more waiting for each 500 (relay.batchSize) to be acknowledged before the next, as the relay does.
#
# Environment (all optional):
#   BACKLOG=200000     outbox rows per round (and records per bare pass)
#   USERS=2000         users the rows are spread over (keys of the records)
#   RELAYS="1 2 4"     relay processes per round, one round each (ROUNDS times)
#   ROUNDS=1           rounds of each relay count
#   MAX_CREATE_RATE=1304  the create scenario's maximum creates/s to compare one relay with (target
#                      >= 1.5 x); default: the latest figure in README.md (2026-12-07, 4212fb4)
#   TIMEOUT=600        seconds a drain may take before the run fails
#   RELAY_JAVA_OPTS=   JVM options of the relay processes; %n is replaced by the relay's name
#                      (relay<count>-<round>-<i>), e.g. for a profile of each:
#                      RELAY_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/%n.jfr,settings=profile"
#   APP_JAR=, LABEL=, KEEP_TMP=1, JAVA_OPTS=   as for every scenario (perf/README.md)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
perf_init relay "$@"
perf_opt BACKLOG 200000
perf_opt USERS 2000
perf_opt RELAYS "1 2 4"
perf_opt ROUNDS 1
perf_opt MAX_CREATE_RATE 1304
perf_opt TIMEOUT 600
[[ -x "$PSQL" ]] || die "psql is needed: apt-get install postgresql-client"
[[ "$BACKLOG" =~ ^[1-9][0-9]*$ && "$USERS" =~ ^[1-9][0-9]*$ ]] || die "BACKLOG and USERS must be positive integers"
perf_build
SHARDS="$(sed -n '/^relay:/,/^[a-z]/s/^ *shards: *\([0-9]*\).*/\1/p' "$ROOT/conf/taskbus.yaml")"
BATCH="$(sed -n '/^relay:/,/^[a-z]/s/^ *batchSize: *\([0-9]*\).*/\1/p' "$ROOT/conf/taskbus.yaml")"
[[ -n "$SHARDS" && -n "$BATCH" ]] || die "no relay.shards or relay.batchSize in conf/taskbus.yaml"

# --- the api: schema, embedded PostgreSQL and Kafka; no relay
DATA="$PERF_TMP/data"
API_PORT="$(perf_free_port)"
perf_run_app api "$DATA" "$API_PORT" TASKBUS_VERTICLES=api
API_PID="$APP_PID"
KAFKA="$(sed -n 's/.*embedded Kafka on \(127\.0\.0\.1:[0-9]*\).*/\1/p' "$PERF_TMP/api.log" | head -1)"
[[ -n "$KAFKA" ]] || die "no 'embedded Kafka on 127.0.0.1:PORT' line in $PERF_TMP/api.log"
RELAY_ENV=(TASKBUS_VERTICLES=kafka TASKBUS_CONFIG="$PERF_TMP/relay.yaml"
  TASKBUS_PG_URL="postgresql://postgres:$PGPASSWORD@127.0.0.1:$PG_PORT/postgres"
  TASKBUS_KAFKA_BOOTSTRAPSERVERS="$KAFKA" TASKBUS_AUTH_JWTSECRET="$(tr -d '\n' <"$DATA/dev-jwt.key")")
printf 'kafka:\n  subscriptions: []\n' >"$PERF_TMP/relay.yaml"
q() { "$PSQL" -X -q -t -A -v ON_ERROR_STOP=1 "$@"; }
RELAY_DRAIN=(java -Xms256m -Xmx512m -cp "$GENERATOR_JAR" io.taskbus.perf.RelayDrain)

# --- the template: the outbox row of one real create, kept aside
token="$(curl -fsS -H 'Content-Type: application/json' -d '{"user":"perf-relay-u0"}' \
  "http://127.0.0.1:$API_PORT/api/v1/dev/token" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')"
[[ -n "$token" ]] || die "no dev token from the api"
curl -fsS -o /dev/null -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
  -d '{"title":"perf relay task 000000"}' "http://127.0.0.1:$API_PORT/api/v1/tasks" || die "the template create failed"
q -c "CREATE TABLE perf_relay_template AS SELECT * FROM outbox; DELETE FROM outbox;"
[[ "$(q -c 'SELECT count(*) FROM perf_relay_template')" == 1 ]] || die "the template create left no single outbox row"
say "template row: $(q -c "SELECT type || ', ' || octet_length(data::text) || ' bytes of data' FROM perf_relay_template")"

# fill: BACKLOG copies of the template in one transaction (the rows appear at once when it commits;
# row-level NOTIFYs wake the relays then), analyzed as an outbox that grew would have been
fill() {
  q -v n="$BACKLOG" -v users="$USERS" <<'SQL'
BEGIN;
INSERT INTO outbox (user_id, seq, type, subject, time, request_id, data)
SELECT 'perf-relay-u' || (g % :users), g / :users + 1, t.type,
       regexp_replace(t.subject, '[0-9a-f-]{36}', s.id), now(), t.request_id,
       replace(replace(t.data::text, coalesce(substring(t.subject from '[0-9a-f-]{36}'), t.subject), s.id),
               t.user_id, 'perf-relay-u' || (g % :users))::json
FROM generate_series(0, :n - 1) g
CROSS JOIN perf_relay_template t
CROSS JOIN LATERAL (SELECT gen_random_uuid()::text || left(g::text, 0) AS id) s;
ANALYZE outbox;
COMMIT;
SQL
}

# held_shards PORT: how many shards the relay on PORT holds (its /health)
held_shards() {
  curl -fsS "http://127.0.0.1:$1/health" 2>/dev/null \
    | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["kafka"]["relay"]["shards"]))' 2>/dev/null \
    || echo -1
}

STAMP="$(perf_results)"
RESULT="$PERF_DIR/results/$STAMP-relay.txt"
{
  echo "taskbus perf: relay scenario, $STAMP  ($(perf_label))"
  perf_machine
  echo "options: $(perf_opts_line); relay.shards $SHARDS, relay.batchSize $BATCH, kafka.lingerMs as configured"
} >"$RESULT"

round() {
  local n="$1" round="$2" pids=() ports=() i port
  local share=$(( (SHARDS + n - 1) / n ))
  say "round $round, $n relay(s): starting them on the empty outbox"
  for ((i = 1; i <= n; i++)); do
    port="$(perf_free_port)"
    JAVA_OPTS="${RELAY_JAVA_OPTS:+${RELAY_JAVA_OPTS//%n/relay$n-$round-$i}}" \
      perf_app_start "relay$n-$round-$i" "$PERF_TMP/relay$n-$round-$i" "$port" "${RELAY_ENV[@]}"
    pids+=("$APP_PID"); ports+=("$port")
  done
  for ((i = 0; i < n; i++)); do perf_app_ready "relay$n-$round-$((i + 1))" "${ports[$i]}"; done
  # every relay holds its share (the shards spread between them) before the backlog appears
  local deadline=$((SECONDS + 120)) held
  while :; do
    held=""
    for port in "${ports[@]}"; do held="$held $(held_shards "$port")"; done
    [[ "$(echo "$held" | tr ' ' '\n' | grep -c "^$share\$")" == "$n" ]] && break
    (( SECONDS < deadline )) || die "the relays did not share the $SHARDS shards within 120 s (held:$held)"
    sleep 0.5
  done
  say "relays hold$held shards; filling the outbox with $BACKLOG rows"
  local pidlist
  pidlist="$(IFS=,; echo "${pids[*]}")"
  TASKBUS_PERF_PG_PID="$PG_PID" "${RELAY_DRAIN[@]}" watch --bootstrap "$KAFKA" --expect "$BACKLOG" \
    --relay-pids "$pidlist" --kafka-pid "$API_PID" --timeout "$TIMEOUT" \
    >"$PERF_TMP/watch-$n-$round.out" 2>"$PERF_TMP/watch-$n-$round.log" &
  local watcher=$!
  perf_track "$watcher"
  deadline=$((SECONDS + 60))
  until grep -q "waiting for" "$PERF_TMP/watch-$n-$round.log" 2>/dev/null; do
    kill -0 "$watcher" 2>/dev/null || { cat "$PERF_TMP/watch-$n-$round.log" >&2; die "the watcher ended before it started"; }
    (( SECONDS < deadline )) || die "the watcher did not read task-events' offsets within 60 s"
    sleep 0.2
  done
  local t0 t1
  t0="$(date +%s.%N)"
  fill
  t1="$(date +%s.%N)"
  say "filled in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s; the relays drain it"
  wait "$watcher" || { cat "$PERF_TMP/watch-$n-$round.out" >&2; die "the drain did not complete (watcher: $(grep error= "$PERF_TMP/watch-$n-$round.out"))"; }
  deadline=$((SECONDS + 60))
  until [[ "$(q -c 'SELECT count(*) FROM outbox')" == 0 ]]; do
    (( SECONDS < deadline )) || die "the outbox still holds $(q -c 'SELECT count(*) FROM outbox') rows 60 s after Kafka had them all"
    sleep 0.2
  done
  local kv
  kv="$(tr '\n' ' ' <"$PERF_TMP/watch-$n-$round.out")"
  echo "relays=$n round=$round $kv" >>"$PERF_TMP/rounds.txt"
  say "$n relay(s): $(sed -n 's/^rate=//p' "$PERF_TMP/watch-$n-$round.out") rows/s"
  for i in "${pids[@]}"; do perf_stop_pid "$i"; done
  # stopped: no longer among the processes whose exit perf_app_ready reports as a failure
  local alive=()
  for i in "${PERF_PIDS[@]}"; do kill -0 "$i" 2>/dev/null && alive+=("$i"); done
  PERF_PIDS=("${alive[@]}")
}

for r in $(seq 1 "$ROUNDS"); do
  for n in $RELAYS; do round "$n" "$r"; done
done

say "bare producer: $BACKLOG records, twice as fast as it goes, twice $BATCH at a time"
for window in 0 "$BATCH"; do
  TASKBUS_PERF_PG_PID="$PG_PID" "${RELAY_DRAIN[@]}" bare --bootstrap "$KAFKA" --records "$BACKLOG" \
    --users "$USERS" --kafka-pid "$API_PID" --window "$window" --passes 2 \
    >"$PERF_TMP/bare-$window.out" 2>"$PERF_TMP/bare-$window.log" \
    || { cat "$PERF_TMP/bare-$window.out" "$PERF_TMP/bare-$window.log" >&2; die "the bare producer failed"; }
done

# --- the report
kv() { sed -n "s/.*[ ^]$2=\([^ ]*\).*/\1/p" <<<" $1"; }
{
  echo
  echo "Relay drain: $BACKLOG outbox rows of $USERS users committed at once; timed from the first record in task-events to the last"
  while read -r line; do
    echo "  $(kv "$line" relays) relay(s), round $(kv "$line" round): $(kv "$line" rate) rows/s ($(kv "$line" records) in $(kv "$line" seconds) s; first record $(kv "$line" first_after_s) s after the watch began)"
    echo "     cores used: relay JVMs $(kv "$line" relay_cores), postgres $(kv "$line" postgres_cores), Kafka broker JVM $(kv "$line" kafka_cores)"
    echo "     $(sed -n 's/.*cpu_per_row=\(ms CPU per row: .*)\).*/\1/p' <<<"$line")"
  done <"$PERF_TMP/rounds.txt"
  echo
  echo "Bare kafka-clients producer, the relay's settings (acks=all, idempotence, linger.ms 5, 5 in flight), same broker, $(sed -n 's/^value_bytes=//p' "$PERF_TMP/bare-0.out")-byte values copied from a relayed task.created, the rows' keys and headers:"
  for window in 0 "$BATCH"; do
    for pass in 1 2; do
      f="$PERF_TMP/bare-$window.out"
      g() { sed -n "s/^pass${pass}_$1=//p" "$f"; }
      echo "  $([[ $window == 0 ]] && echo "as fast as it takes them" || echo "$window at a time, each batch acknowledged before the next"), pass $pass ($([[ $pass == 1 ]] && echo cold || echo warm)): $(g rate) records/s ($(g seconds) s); cores: producer $(g producer_cores), Kafka broker JVM $(g kafka_cores)"
      echo "     $(g cpu_per_row)"
    done
  done
  echo
  bare="$(sed -n 's/^pass1_rate=//p' "$PERF_TMP/bare-0.out")"
  bare_batched="$(sed -n 's/^pass1_rate=//p' "$PERF_TMP/bare-$BATCH.out")"
  echo "Ratios (relay / bare, cold pass: each relay is a fresh JVM too):"
  while read -r line; do
    awk -v n="$(kv "$line" relays)" -v r="$(kv "$line" rate)" -v b="$bare" -v bb="$bare_batched" -v m="$MAX_CREATE_RATE" 'BEGIN {
      printf "  %d relay(s): %.2f x the bare producer, %.2f x the bare producer %s at a time; %.2f x the maximum create rate %s/s", n, r / b, r / bb, '"$BATCH"', r / m, m
      if (n == 1) printf " (target >= 1.5 x: %s)", (r >= 1.5 * m ? "MET" : "NOT MET")
      printf "\n" }'
  done <"$PERF_TMP/rounds.txt"
} | tee -a "$RESULT"
cp "$PERF_TMP/api.log" "$PERF_DIR/results/$STAMP-relay-api.log"
say "report written to ${RESULT#"$ROOT"/}"
