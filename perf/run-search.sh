#!/usr/bin/env bash
# The "search" scenario: one user with 100 000 of 1 000 000 tasks; the query plans of the typical
# searches, GET /tasks throughput beside pgbench running the same SELECT, and each typical search at
# a constant arrival rate. See perf/README.md, "The search scenario".
#
# Starts its own taskbus (a copy of verticles/app/target/taskbus.jar, embedded PostgreSQL and Kafka
# in a fresh temporary directory, a free loopback port), seeds the tasks straight into PostgreSQL
# (perf/search/seed.sql) and always stops what it started.
#
# Environment (all optional):
#   PHASES="plans throughput open"   which parts to run (any subset, in this order)
#   DURATION=20        seconds of pgbench and of the measured HTTP closed loop
#   WARMUP=30          seconds of HTTP closed loop before pgbench and the measurement, at least;
#   WARMUP_MAX=300     then on until the app's JIT has settled (under 5 % of a core compiling over
#                      10 s), at most WARMUP_MAX s in all: the app JVM JIT-compiles for minutes on
#                      2 busy cores (the progress lines show it), and pgbench should meet it warm
#                      and idle. WARMUP_MAX=0: exactly WARMUP s.
#   REWARM=10          seconds of HTTP closed loop after pgbench, before the measured window
#   CLIENTS=16         pgbench -c and the generator's connections (the app's pg.poolSize is 16)
#   RATE=100           open model: requests/s of each search
#   OPEN_WARMUP=5      seconds at RATE before each search's measurement
#   PREWARM=           seconds of closed loop (4 connections, default page) before the open model;
#                      default 30 when the throughput phase does not run first (cold JVM), else 0
#   OPEN_DURATION=25   seconds of each search's measurement
#   DRAIN=10           seconds an open-model phase waits after its last send; requests unanswered
#                      then are abandoned and counted as errors (an overloaded app would otherwise
#                      stretch a phase over minutes)
#   SEARCHES=tag,q,filter      the open-model searches (also: default)
#   TAG=work RARE_TAG=bills WORDS=budget,passport,ref4242 FILTER='...'   what they search for
#   TOTAL=1000000 HEAVY=100000 OTHERS=900   the data: tasks in all, of perf-heavy, other users
#   DATA_DIR=          empty: a fresh temporary directory, removed afterwards. A path: the app's data
#                      directory, kept; seeded on first use, reused (not seeded again) later, so
#                      the phases can be run one at a time (each run stays under ~3 minutes)
#   EXPERIMENT=        space-separated names of perf/search/experiment-NAME.sql to apply to the
#                      database before measuring (custom-plans, leakproof, user-gin); the app is
#                      restarted afterwards. They stay in a DATA_DIR: use a copy for experiments
#   RATE_LIMIT=1000000 the app's per-user rate limit for the run (default 50/s would answer 429s)
#   ROUNDS=1           throughput phase: pgbench and the measured HTTP window alternate ROUNDS
#                      times (REWARM s of HTTP before each window); the ratio is of the rounds'
#                      means, so a slow or fast stretch of the shared machine is not all on one
#                      side (needs HTTP_CLIENT=wrk and a warm-up)
#   HTTP_CLIENT=wrk    what runs the measured window of the throughput phase: wrk (a C client, as
#                      pgbench is; apt-get install wrk) or java (this scenario's own Vert.x loop,
#                      which takes about twice wrk's CPU per search from the shared cores)
#   APP_JAR=           the jar to test (default verticles/app/target/taskbus.jar, built if missing)
#   LABEL=             text for the report's first line (default: the jar's build time and commit)
#   KEEP_TMP=1         keep the temporary directory (app log, pgbench logs) for a post-mortem
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
perf_init search "$@"
perf_opt PHASES "plans throughput open"
perf_opt DURATION 20
perf_opt WARMUP 30
perf_opt WARMUP_MAX 300
perf_opt REWARM 10
perf_opt CLIENTS 16
perf_opt RATE 100
perf_opt OPEN_WARMUP 5
perf_opt OPEN_DURATION 25
perf_opt DRAIN 10
perf_opt SEARCHES tag,q,filter
if [[ " $PHASES " == *" throughput "* ]]; then perf_opt PREWARM 0; else perf_opt PREWARM 30; fi
perf_opt TAG work
perf_opt RARE_TAG bills
perf_opt WORDS budget,passport,ref4242
perf_opt FILTER "priority:high & (tag:work | tag:home) & due < 7d & !completed"
perf_opt TOTAL 1000000
perf_opt HEAVY 100000
perf_opt OTHERS 900
perf_opt EXPERIMENT ""
perf_opt RATE_LIMIT 1000000
perf_opt HTTP_CLIENT wrk
perf_opt ROUNDS 1
USER_ID=perf-heavy

has_phase() { [[ " $PHASES " == *" $1 "* ]]; }

perf_need_pg_tools
[[ "$HEAVY" -lt "$TOTAL" ]] || die "HEAVY must be less than TOTAL"
[[ $((TOTAL % HEAVY)) -eq 0 ]] || die "seed.sql gives perf-heavy every (TOTAL / HEAVY)-th task: TOTAL must be a multiple of HEAVY"
for e in $EXPERIMENT; do
  [[ -f "$PERF_DIR/search/experiment-$e.sql" ]] || die "no perf/search/experiment-$e.sql"
done

perf_build
JAVA_PERF=(java -Xms256m -Xmx512m --add-exports jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED
  -cp "$GENERATOR_JAR")

# --- where the app keeps its data (and PostgreSQL its database)
TMP="$PERF_TMP"
if [[ -n "${DATA_DIR:-}" ]]; then
  mkdir -p "$DATA_DIR"
  DATA="$(cd "$DATA_DIR" && pwd)"
else
  DATA="$TMP/data"
fi
PORT="$(perf_free_port)"
BASE="http://127.0.0.1:$PORT"
STARTS=0
LIMITS=()
[[ "$RATE_LIMIT" == default ]] || LIMITS=(TASKBUS_API_RATELIMITPERSECOND="$RATE_LIMIT" TASKBUS_API_RATELIMITBURST="$RATE_LIMIT")
start_app() {
  STARTS=$((STARTS + 1))
  perf_run_app "app-$STARTS" "$DATA" "$PORT" "${LIMITS[@]}"
}
stop_app() { perf_stop_all; }
start_app
psql_q() { "$PSQL" -X -q -v ON_ERROR_STOP=1 "$@"; }

# --- the data: seeded once per data directory
SEED_MARK="$DATA/perf-search-seeded"
SEED_WANT="total=$TOTAL heavy=$HEAVY others=$OTHERS"
if [[ -f "$SEED_MARK" ]]; then
  [[ "$(head -1 "$SEED_MARK")" == "$SEED_WANT" ]] \
    || die "$DATA was seeded with '$(head -1 "$SEED_MARK")', not '$SEED_WANT'"
  say "reusing the data seeded in $DATA ($(sed -n 2p "$SEED_MARK"))"
else
  say "seeding $TOTAL tasks ($HEAVY of $USER_ID, the rest over $OTHERS users), then VACUUM ANALYZE"
  S0="$(date +%s)"
  psql_q -v total="$TOTAL" -v heavy="$HEAVY" -v others="$OTHERS" -f "$PERF_DIR/search/seed.sql" >/dev/null
  psql_q -c "VACUUM ANALYZE tasks" -c "VACUUM ANALYZE users"
  S1="$(date +%s)"
  printf '%s\nseeded in %d s on %s\n' "$SEED_WANT" $((S1 - S0)) "$(date -u +%Y-%m-%dT%H:%MZ)" >"$SEED_MARK"
  say "seeded in $((S1 - S0)) s"
fi
COUNTS="$(psql_q -At -F ' ' -c "SELECT count(*), count(*) FILTER (WHERE user_id = '$USER_ID'),
  count(DISTINCT user_id), pg_size_pretty(pg_total_relation_size('tasks')) FROM tasks")"
read -r N_ALL N_HEAVY N_USERS TASKS_SIZE <<<"$COUNTS"
DATA_TEXT="$N_ALL tasks of $N_USERS users, $N_HEAVY of them $USER_ID's (perf/search/seed.sql; tasks table with indexes $TASKS_SIZE; $(sed -n 2p "$SEED_MARK"))"

# --- experiments: applied to this database, then the app restarted so its sessions see them
if [[ -n "$EXPERIMENT" ]]; then
  for e in $EXPERIMENT; do
    say "experiment: applying perf/search/experiment-$e.sql"
    psql_q -f "$PERF_DIR/search/experiment-$e.sql" >/dev/null
    grep -qx "$e" "$DATA/perf-search-experiments" 2>/dev/null || echo "$e" >>"$DATA/perf-search-experiments"
  done
  stop_app
  start_app
fi
APPLIED="$(paste -sd ' ' "$DATA/perf-search-experiments" 2>/dev/null || true)"
[[ -z "$APPLIED" ]] || DATA_TEXT="$DATA_TEXT; EXPERIMENTS APPLIED: $APPLIED"

STAMP="$(perf_results)"
RESULT="$PERF_DIR/results/$STAMP-search.txt"
SEARCH_OPTS=(--tag "$TAG" --rare-tag "$RARE_TAG" --words "$WORDS" --filter "$FILTER" --user "$USER_ID")

# --- the query plans, of the SQL the app's own TaskQuery builds
PLANS_SUMMARY=""
if has_phase plans; then
  say "query plans (EXPLAIN ANALYZE as role taskbus_user, prepared statements)"
  "${JAVA_PERF[@]}" io.taskbus.perf.SearchPlans --mode script --app-jar "$TMP/taskbus.jar" \
    "${SEARCH_OPTS[@]}" >"$TMP/plans.sql"
  psql_q -f "$TMP/plans.sql" >"$TMP/plans.out" 2>&1 || { tail -20 "$TMP/plans.out" >&2; die "the plans failed"; }
  cp "$TMP/plans.out" "$PERF_DIR/results/$STAMP-search-plans.txt"
  "${JAVA_PERF[@]}" io.taskbus.perf.SearchPlans --mode summary --input "$TMP/plans.out" \
    --title "   (full plans: perf/results/$STAMP-search-plans.txt)" >"$TMP/plans-summary.txt"
  PLANS_SUMMARY="$TMP/plans-summary.txt"
  cat "$PLANS_SUMMARY" >&2
fi

# --- pgbench: the same SELECT in the same transaction, the same concurrency, the same server
PGB_ARGS=()
run_pgbench() { :; }
if has_phase throughput; then
  # the pgbench script gets the SELECT the app's TaskQuery builds for GET /tasks: $1, $2 = :user, :limit
  APP_SQL="$("${JAVA_PERF[@]}" io.taskbus.perf.SearchPlans --mode sql --search default \
    --app-jar "$TMP/taskbus.jar" "${SEARCH_OPTS[@]}" | head -1)"
  [[ "$APP_SQL" == SELECT*'$1'*'$2' && "$APP_SQL" != *'$3'* ]] \
    || die "unexpected SQL for GET /tasks (expected \$1 = user, \$2 = limit): $APP_SQL"
  # search-tasks.sql is the target's baseline; search-tasks-pipelined.sql the same statements in
  # one pipeline, as the API sends them (reported beside it)
  for script in search-tasks search-tasks-pipelined; do
    grep -qx -- '-- @SELECT@' "$PERF_DIR/pgbench/$script.sql" || die "no '-- @SELECT@' line in pgbench/$script.sql"
    awk -v sql="$(printf '%s' "$APP_SQL" | sed 's/\$1/:user/; s/\$2/:limit/');" \
      '$0 == "-- @SELECT@" { print sql; next } { print }' "$PERF_DIR/pgbench/$script.sql" >"$TMP/$script.sql"
  done
  cp "$TMP/search-tasks.sql" "$PERF_DIR/results/$STAMP-search-pgbench.sql"
  mkdir -p "$TMP/pgbench"
  ROUND=1
  run_pgbench() {
    say "pgbench (round $ROUND of $ROUNDS): -c $CLIENTS -j 2 -T $DURATION -M prepared, perf/pgbench/search-tasks.sql as $USER_ID"
    (( ROUND > 1 )) || grep -v '^--' "$TMP/search-tasks.sql" | sed 's/^/[run-search]   /' >&2
    perf_timed_pgbench "$TMP/pgbench-$ROUND" "$APP_PID" "$PG_PID" -n -c "$CLIENTS" -j 2 -T "$DURATION" \
      -M prepared -D user="$USER_ID" -D limit=51 -f "$TMP/search-tasks.sql" -l --log-prefix="$TMP/pgbench/r$ROUND-log" \
      >"$TMP/pgbench-$ROUND.cpu"
    grep -E '^(tps|latency average|number of (transactions actually processed|failed))' "$TMP/pgbench-$ROUND.out" >&2 || true
    say "pgbench pipelined (round $ROUND of $ROUNDS): the same, perf/pgbench/search-tasks-pipelined.sql"
    perf_timed_pgbench "$TMP/pgbench-pipelined-$ROUND" "$APP_PID" "$PG_PID" -n -c "$CLIENTS" -j 2 -T "$DURATION" \
      -M prepared -D user="$USER_ID" -D limit=51 -f "$TMP/search-tasks-pipelined.sql" >/dev/null
    grep -E '^tps' "$TMP/pgbench-pipelined-$ROUND.out" >&2 || true
  }
  PGB_ARGS=(--pgbench-out "$TMP/pgbench-%d.out" --pgbench-log-prefix "$TMP/pgbench/r%d-log"
    --pgbench-pipelined-out "$TMP/pgbench-pipelined-%d.out"
    --pgbench-cpu-file "$TMP/pgbench-%d.cpu" --rounds "$ROUNDS")
fi

# --- the load generator: the HTTP closed loop, then the open model per search. With the
# throughput phase it warms the app up (until its JIT settled) and holds while pgbench runs
# against the warm, idle app and a warm, idle generator: right after their start, the JVMs compile
# for a minute or more on the same cores, which would slow pgbench down and flatter the ratio
LABEL="$(perf_label)"
[[ "$RATE_LIMIT" == default ]] || LABEL="$LABEL; per-user rate limit set to $RATE_LIMIT/s for the run"
GO="$TMP/go"
HOLD=()
has_phase throughput && (( WARMUP > 0 || WARMUP_MAX > 0 )) && HOLD=(--hold "$GO" --rewarm "$REWARM")
GEN_OPTS=(--base-url "$BASE" --connections "$CLIENTS" --rate "$RATE" --open-warmup "$OPEN_WARMUP"
  --open-duration "$OPEN_DURATION" --drain "$DRAIN" --prewarm "$PREWARM" --warmup "$WARMUP" --warmup-max "$WARMUP_MAX"
  "${HOLD[@]}" --max-duration "$DURATION" --searches "$SEARCHES")
has_phase throughput || GEN_OPTS+=(--max-duration 0)
case "$HTTP_CLIENT" in
  wrk)
    if has_phase throughput; then
      WRK="$(command -v wrk)" || die "HTTP_CLIENT=wrk needs wrk (apt-get install wrk), or HTTP_CLIENT=java"
      GEN_OPTS+=(--wrk "$WRK" --wrk-script "$PERF_DIR/search/wrk-window.lua")
    fi ;;
  java) (( ROUNDS == 1 )) || die "ROUNDS > 1 needs HTTP_CLIENT=wrk" ;;
  *) die "HTTP_CLIENT is wrk or java, not '$HTTP_CLIENT'" ;;
esac
(( ROUNDS == 1 || ${#HOLD[@]} )) || die "ROUNDS > 1 needs a warm-up (WARMUP or WARMUP_MAX > 0)"
has_phase open || GEN_OPTS+=(--searches "")
[[ -z "$PLANS_SUMMARY" ]] || GEN_OPTS+=(--plans "$PLANS_SUMMARY")
(( ${#HOLD[@]} )) || run_pgbench # no warm-up: pgbench first, on its own
say "load generator$(has_phase throughput && echo ": warm-up ($WARMUP s, up to $WARMUP_MAX s until the app's JIT settled)$( (( ${#HOLD[@]} )) && echo ", pgbench, ${REWARM} s") + closed loop ${DURATION} s")$(
  has_phase open && echo ", open model $RATE/s for ${OPEN_WARMUP}+${OPEN_DURATION} s per search ($SEARCHES)")"
GEN_RC=0
TASKBUS_PERF_APP_PID="$APP_PID" TASKBUS_PERF_PG_PID="$PG_PID" "${JAVA_PERF[@]}" io.taskbus.perf.SearchScenario "${GEN_OPTS[@]}" \
  "${SEARCH_OPTS[@]}" "${PGB_ARGS[@]}" --data "$DATA_TEXT" --label "$LABEL" >"$TMP/report.txt" &
GEN_PID=$!
perf_track "$GEN_PID"
if (( ${#HOLD[@]} )); then
  for ((ROUND = 1; ROUND <= ROUNDS; ROUND++)); do
    perf_hold_pgbench "$GEN_PID" "$GO$( (( ROUND == 1 )) || echo "-$ROUND")"
  done
fi
wait "$GEN_PID" || GEN_RC=$?
[[ -s "$TMP/report.txt" ]] || die "the load generator failed (exit $GEN_RC) before its report"
cp "$TMP/report.txt" "$RESULT"
cat "$TMP"/app-*.log >"$PERF_DIR/results/$STAMP-search-app.log"
echo
cat "$RESULT"
say "report written to ${RESULT#"$ROOT"/} (app log and plans beside it)"
exit "$GEN_RC"
