#!/usr/bin/env bash
# The "reminders" scenario: 10 000 reminders due within the same minute (target: at most
# 0.1% fire more than 1 s late, none twice), and recurrence generation at 500 completions per
# second (every completed occurrence gets exactly one next occurrence, and the generation keeps up).
# See "The reminders scenario" in perf/README.md.
#
# Starts its own taskbus (fresh embedded PostgreSQL and Kafka in a temporary directory, a free
# loopback port) and always stops it. Baseline in the same command: pgbench runs the timers' own
# claim statement (extracted from ReminderTimers.java) over the same number of due reminders in a
# copy of the tables (schema perf_pgbench), on the same PostgreSQL, before the app's run.
#
# Environment (all optional):
#   PHASES="reminders recurrence"   which parts to run
#   REMINDERS=10000    tasks created through the API, each with one absolute reminder
#   SPREAD=60          seconds of the minute the due times are spread over evenly; 0: all at :00
#   LEAD=15            at least this many seconds (plus the creation time at 250/s) before the minute
#   RECURRING=10000    daily recurring tasks created, then completed
#   COMPLETION_RATE=500  completions per second (open model)
#   USERS=100          users the tasks are spread over (one bridge WebSocket each)
#   CLIENTS=32         HTTP connections of the generator
#   WAIT=60            seconds to wait for the last events after the last due time / completion
#   RATE_LIMIT=1000000 the app's per-user API rate limit for the run
#   PLAIN=true         the recurrence phase with tasks that do not recur: what completing alone costs
#   WARMUP=30          recurrence phase: seconds of warm-up rounds (1 000 recurring tasks created and
#   WARMUP_MAX=300     completed, closed loop) at least, then on until the app's JIT has settled
#                      (under 5 % of a core compiling over 10 s), at most WARMUP_MAX s; 0 0: none
#   APP_JAR=           the jar to test (default verticles/app/target/taskbus.jar, built if missing)
#   LABEL=             text for the report's first line (default: the jar's build time and commit)
#   KEEP_TMP=1         keep the temporary directory (logs) for a post-mortem
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
perf_init reminders "$@"
perf_opt PHASES "reminders recurrence"
perf_opt REMINDERS 10000
perf_opt SPREAD 60
perf_opt LEAD 15
perf_opt RECURRING 10000
perf_opt COMPLETION_RATE 500
perf_opt USERS 100
perf_opt CLIENTS 32
perf_opt WAIT 60
perf_opt RATE_LIMIT 1000000
perf_opt PLAIN false
perf_opt WARMUP 30
perf_opt WARMUP_MAX 300
perf_need_pg_tools
perf_build
MACHINE="$(perf_machine)"
LABEL="$(perf_label)"
STAMP="$(perf_results)"
RESULT="$PERF_DIR/results/$STAMP-reminders.txt"
has_phase() { [[ " $PHASES " == *" $1 "* ]]; }
psql_q() { "$PSQL" -X -q -v ON_ERROR_STOP=1 "$@"; }

PORT="$(perf_free_port)"
LIMITS=()
[[ "$RATE_LIMIT" == default ]] || LIMITS=(TASKBUS_API_RATELIMITPERSECOND="$RATE_LIMIT" TASKBUS_API_RATELIMITBURST="$RATE_LIMIT")
perf_run_app app "$PERF_TMP/data" "$PORT" "${LIMITS[@]}"
BATCH="${TASKBUS_TIMERS_BATCHSIZE:-$(sed -n '/^timers:/,/^[a-z]/s/^ *batchSize: *\([0-9]*\).*/\1/p' "$ROOT/conf/"*.yaml | head -1)}"
BATCH="${BATCH:-1000}"

# --- baseline: the timers' claim statement alone, over REMINDERS due rows, in batches of BATCH
BASELINE="not run"
if has_phase reminders; then
  awk '/FIRE = """/ { f = 1; next } f { if (index($0, "\"\"\";")) { sub(/"""; *$/, ""); print; exit } print }' \
    "$ROOT/verticles/recurrence/src/main/java/io/taskbus/recurrence/ReminderTimers.java" \
    | sed 's/\$1/:batch/; s/\$2/:grace/' >"$PERF_TMP/fire.sql"
  grep -q 'FOR UPDATE SKIP LOCKED' "$PERF_TMP/fire.sql" || die "could not extract the claim statement from ReminderTimers.java"
  echo ';' >>"$PERF_TMP/fire.sql"
  cp "$PERF_TMP/fire.sql" "$PERF_DIR/results/$STAMP-reminders-pgbench.sql"
  psql_q -v schema=perf_pgbench -f "$PERF_DIR/pgbench/schema.sql" >/dev/null
  # tasks for the reminders to join, as the app's would have
  psql_q -c "SET search_path = perf_pgbench;
    INSERT INTO users (id, seq) SELECT 'perf-r' || u, 0 FROM generate_series(0, $USERS - 1) u;
    WITH t AS (INSERT INTO tasks (id, user_id, title, created_at, updated_at) SELECT gen_random_uuid(), 'perf-r' || (i % $USERS), 'reminder ' || i, now(), now()
               FROM generate_series(0, $REMINDERS - 1) i RETURNING id, user_id)
    INSERT INTO reminders (user_id, task_id, spec, fire_at)
    SELECT user_id, id, jsonb_build_object('at', now()), now() - interval '1 second' FROM t;" -c "VACUUM ANALYZE perf_pgbench.reminders" >/dev/null
  TRANSACTIONS=$(( (REMINDERS + BATCH - 1) / BATCH ))
  say "baseline: pgbench -c 1 -t $TRANSACTIONS: the claim statement (batch $BATCH) over $REMINDERS due reminders"
  PGB_CPU="$(PGOPTIONS="-c search_path=perf_pgbench" perf_timed_pgbench "$PERF_TMP/pgbench" "$APP_PID" "$PG_PID" \
    -n -c 1 -t "$TRANSACTIONS" -M prepared -D batch="$BATCH" -D grace=300 -f "$PERF_TMP/fire.sql")"
  FIRED="$(psql_q -At -c "SELECT count(*) FILTER (WHERE state = 'fired'), count(*) FROM perf_pgbench.reminders")"
  PGB_LAT="$(sed -n 's/^latency average = \(.*\) ms/\1/p' "$PERF_TMP/pgbench.out")"
  PGB_TPS="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$PERF_TMP/pgbench.out" | head -1)"
  # under the CPU line, the jiffies: per reminder claimed
  read -r PGB_PG PGB_CLIENT <<<"$(sed -n 's/^jiffies postgres=\([0-9]*\) client=\([0-9]*\)$/\1 \2/p' <<<"$PGB_CPU")"
  PGB_COST="$(java -cp "$GENERATOR_JAR" io.taskbus.perf.CpuCost reminder "$REMINDERS" \
    "postgres=${PGB_PG:-0}" "pgbench client=${PGB_CLIENT:-0}")"
  PGB_CPU="$(head -1 <<<"$PGB_CPU"); $PGB_COST"
  BASELINE="$(awk -v lat="$PGB_LAT" -v tps="$PGB_TPS" -v b="$BATCH" -v n="$REMINDERS" -v fired="${FIRED%%|*}" -v cpu="$PGB_CPU" 'BEGIN {
    printf "pgbench, the claim statement alone: %d of %d reminders fired; %.1f ms per batch of %d (%.0f reminders/s);\n      all %d claimed in %.0f ms of statement time. CPU: %s", fired, n, lat, b, tps * b, n, lat * n / b, cpu }')"
  say "$BASELINE"
  psql_q -c "DROP SCHEMA perf_pgbench CASCADE" >/dev/null
fi

# --- the app
GEN_PHASES="$(echo "$PHASES" | tr ' ' ',')"
say "generator: $PHASES"
GEN_RC=0
TASKBUS_PERF_PG_PID="$PG_PID" TASKBUS_PERF_APP_PID="$APP_PID" java -Xms256m -Xmx1g -cp "$GENERATOR_JAR" io.taskbus.perf.RemindersScenario \
  --base-url "http://127.0.0.1:$PORT" --phases "$GEN_PHASES" --users "$USERS" --connections "$CLIENTS" \
  --reminders "$REMINDERS" --spread "$SPREAD" --lead "$LEAD" --wait "$WAIT" --recurring "$RECURRING" \
  --completion-rate "$COMPLETION_RATE" --plain "$PLAIN" --warmup "$WARMUP" --warmup-max "$WARMUP_MAX" --label "$LABEL" >"$PERF_TMP/result.properties" &
GEN=$!
perf_track "$GEN"
wait "$GEN" || GEN_RC=$?
cp "$PERF_TMP/result.properties" "$PERF_DIR/results/$STAMP-reminders.properties"
p() { sed -n "s/^$1=//p" "$PERF_TMP/result.properties" | head -1; }

# --- PostgreSQL's own account: fired_at - fire_at of every reminder, and the series
DB_REMINDERS="$(psql_q -At -F ' ' -c "SELECT state, count(*),
    round((1000 * percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM fired_at - fire_at)))::numeric, 1),
    round((1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM fired_at - fire_at)))::numeric, 1),
    round((1000 * max(extract(epoch FROM fired_at - fire_at)))::numeric, 1),
    count(*) FILTER (WHERE fired_at - fire_at > interval '1 second')
  FROM reminders GROUP BY state ORDER BY state" | sed 's/^/      /')"
DB_SERIES="$(psql_q -At -F ' ' -c "SELECT count(*) FILTER (WHERE completed), count(*) FILTER (WHERE NOT completed),
    count(DISTINCT series_id) FILTER (WHERE NOT completed), count(DISTINCT series_id)
  FROM tasks WHERE title LIKE 'recurring %' AND deleted_at IS NULL")"
read -r DB_DONE DB_OPEN DB_OPEN_SERIES DB_SERIES_N <<<"$DB_SERIES"

{
  echo "taskbus perf: reminders scenario, $STAMP ($LABEL)"
  echo "$MACHINE"
  echo "options: $(perf_opts_line); timers.intervalMs and batchSize as configured (batch $BATCH)"
  if has_phase reminders; then
    echo
    echo "1. $(p reminders_expected) reminders due in the minute from $(p reminders_minute) (spread over $SPREAD s), one per task, $USERS users"
    echo "   created through POST /api/v1/tasks in $(p reminders_create_seconds) s ($(p reminders_create_errors) errors), $(p reminders_created_lead_seconds) s before the minute began"
    echo "   reminder.due events on the bridge: received $(p reminders_received), missing $(p reminders_missing), duplicates $(p reminders_duplicates), reminder.missed $(p reminders_missed_events)"
    echo "   fire delay (event time = claim transaction's now() - fireAt), ms: p50 $(p fire_delay_p50_ms), p99 $(p fire_delay_p99_ms), p99.9 $(p fire_delay_p999_ms), max $(p fire_delay_max_ms)  (n=$(p fire_delay_n))"
    echo "   arrival on the bridge socket - fireAt, ms:                  p50 $(p arrival_delay_p50_ms), p99 $(p arrival_delay_p99_ms), p99.9 $(p arrival_delay_p999_ms), max $(p arrival_delay_max_ms)"
    echo "   fired more than 1 s late: $(p reminders_fired_over_1s_late); late or missing: $(p reminders_over_1s_late_or_missing_percent)%   target <= 0.1% and none twice: $(
      awk -v s="$(p reminders_over_1s_late_or_missing_percent)" -v d="$(p reminders_duplicates)" 'BEGIN { print (s + 0 <= 0.1 && d == 0) ? "MET" : "NOT MET" }')"
    echo "   PostgreSQL's reminders table (state, rows, fired_at - fire_at ms: p50, p99, max, rows > 1 s):"
    echo "$DB_REMINDERS"
    echo "   the app's metric: $(p reminders_app_metric)"
    echo "   baseline: $BASELINE"
  fi
  if has_phase recurrence; then
    echo
    [[ "$PLAIN" != true ]] || echo "2. PLAIN=true: the tasks below do NOT recur (a baseline: completing alone); ignore the next-occurrence lines"
    echo "2. warm-up: $(p recurring_warmup_completions) recurring tasks created and completed (closed loop) in $(p recurring_warmup_seconds) s, until the app's JIT settled"
    echo "   $(p recurring_created) daily recurring tasks completed at $COMPLETION_RATE/s scheduled (open model), $USERS users"
    echo "   completed $(p recurring_completed) ($(p recurring_complete_errors) errors) at $(p recurring_completion_rate)/s achieved; HTTP latency from the scheduled time ms: p50 $(p complete_http_p50_ms), p99 $(p complete_http_p99_ms), max $(p complete_http_max_ms)"
    echo "   next occurrences (task.recurring.triggered on the bridge): $(p recurring_next_received), missing $(p recurring_next_missing), duplicates $(p recurring_next_duplicates)"
    echo "   completion answered -> next occurrence's event, ms: p50 $(p next_lag_p50_ms), p99 $(p next_lag_p99_ms), p99.9 $(p next_lag_p999_ms), max $(p next_lag_max_ms)"
    echo "   all there $(p recurring_all_next_after_seconds) s after the first completion ($(p recurring_generation_rate)/s), $(p recurring_drain_after_last_completion_ms) ms after the last completion answered"
    echo "   PostgreSQL: completed occurrences $DB_DONE, open (next) occurrences $DB_OPEN in $DB_OPEN_SERIES series of $DB_SERIES_N: $(
      [[ "$DB_OPEN" == "$DB_DONE" && "$DB_OPEN_SERIES" == "$DB_OPEN" ]] && echo "exactly one next occurrence per completion" || echo "NOT one per completion")"
    echo "   target 500 completions/s kept up: $(awk -v r="$(p recurring_completion_rate)" -v d="$(p recurring_drain_after_last_completion_ms)" -v m="$(p recurring_next_missing)" -v dup="$(p recurring_next_duplicates)" \
      'BEGIN { print (r + 0 >= 475 && d + 0 <= 2000 && m == 0 && dup == 0) ? "MET" : "NOT MET" }') (>= 95% of 500/s achieved, no backlog: every next occurrence within 2 s of the last completion, none missing or doubled)"
  fi
  echo
  echo "bridge sockets closed by the server during the run (the generator reconnects and re-registers at once, as the page does): $(p sockets_closed_by_server)"
  [[ -z "$(p error)" ]] || echo "generator error: $(p error)"
} >"$RESULT"
cp "$PERF_TMP/app.log" "$PERF_DIR/results/$STAMP-reminders-app.log"
echo
cat "$RESULT"
say "report written to ${RESULT#"$ROOT"/}"
exit "$GEN_RC"
