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
#   WARMUP=60          seconds of HTTP closed loop before its measurement: the app JVM JIT-compiles
#                      for about a minute on 2 busy cores (the progress lines show it)
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
#   APP_JAR=           the jar to test (default verticles/app/target/taskbus.jar, built if missing)
#   LABEL=             text for the report's first line (default: the jar's build time and commit)
#   KEEP_TMP=1         keep the temporary directory (app log, pgbench logs) for a post-mortem
set -euo pipefail

PERF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$PERF_DIR/.." && pwd)"
PHASES="${PHASES:-plans throughput open}"
DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-60}"
CLIENTS="${CLIENTS:-16}"
RATE="${RATE:-100}"
OPEN_WARMUP="${OPEN_WARMUP:-5}"
OPEN_DURATION="${OPEN_DURATION:-25}"
DRAIN="${DRAIN:-10}"
SEARCHES="${SEARCHES:-tag,q,filter}"
if [[ " ${PHASES:-plans throughput open} " == *" throughput "* ]]; then PREWARM="${PREWARM:-0}"; else PREWARM="${PREWARM:-30}"; fi
TAG="${TAG:-work}"
RARE_TAG="${RARE_TAG:-bills}"
WORDS="${WORDS:-budget,passport,ref4242}"
FILTER="${FILTER:-priority:high & (tag:work | tag:home) & due < 7d & !completed}"
TOTAL="${TOTAL:-1000000}"
HEAVY="${HEAVY:-100000}"
OTHERS="${OTHERS:-900}"
EXPERIMENT="${EXPERIMENT:-}"
RATE_LIMIT="${RATE_LIMIT:-1000000}"
JAR_GIVEN="${APP_JAR:+yes}"
APP_JAR="${APP_JAR:-$ROOT/verticles/app/target/taskbus.jar}"
PGBENCH="${PGBENCH:-$(command -v pgbench || echo /usr/bin/pgbench)}"
PSQL="${PSQL:-$(command -v psql || echo /usr/bin/psql)}"
USER_ID=perf-heavy

say() { printf '[run-search] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
has_phase() { [[ " $PHASES " == *" $1 "* ]]; }

[[ -x "$PGBENCH" && -x "$PSQL" ]] || die "pgbench and psql are needed: apt-get install postgresql-client"
command -v java >/dev/null || die "java (17+) is needed"
command -v mvn >/dev/null || die "mvn is needed to build the app and the load generator"
[[ "$HEAVY" -lt "$TOTAL" ]] || die "HEAVY must be less than TOTAL"
[[ $((TOTAL % HEAVY)) -eq 0 ]] || die "seed.sql gives perf-heavy every (TOTAL / HEAVY)-th task: TOTAL must be a multiple of HEAVY"
for e in $EXPERIMENT; do
  [[ -f "$PERF_DIR/search/experiment-$e.sql" ]] || die "no perf/search/experiment-$e.sql"
done

# --- build (one Maven build at a time; offline first, the local repository usually has it all)
mvn_quiet() { mvn -B -o -q "$@" || mvn -B -q "$@"; }
if [[ ! -f "$APP_JAR" ]]; then
  say "building $APP_JAR (mvn package -DskipTests -pl verticles/app -am)"
  (cd "$ROOT" && mvn_quiet package -DskipTests -pl verticles/app -am)
fi
say "building the load generator (perf/pom.xml)"
(cd "$PERF_DIR" && mvn_quiet package)
GENERATOR_JAR="$PERF_DIR/target/taskbus-perf.jar"
JAVA_PERF=(java -Xms256m -Xmx512m --add-exports jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED
  -cp "$GENERATOR_JAR")

# --- where the app keeps its data (and PostgreSQL its database)
TMP="$(mktemp -d "${TMPDIR:-/tmp}/taskbus-perf-search.XXXXXX")"
if [[ -n "${DATA_DIR:-}" ]]; then
  mkdir -p "$DATA_DIR"
  DATA="$(cd "$DATA_DIR" && pwd)"
else
  DATA="$TMP/data"
fi
APP_PID=""
GEN_PID=""
stop_app() {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    say "stopping taskbus (pid $APP_PID)"
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$APP_PID" 2>/dev/null; then
      say "taskbus did not stop within 30 s; killing pid $APP_PID"
      kill -KILL "$APP_PID" 2>/dev/null || true
    fi
  fi
  APP_PID=""
  # the embedded PostgreSQL outlives a killed JVM; its postmaster's pid is in the data directory
  local pm="$DATA/postgres/postmaster.pid"
  if [[ -f "$pm" ]] && kill -0 "$(head -1 "$pm")" 2>/dev/null; then
    say "stopping the embedded PostgreSQL left behind (pid $(head -1 "$pm"))"
    kill -TERM "$(head -1 "$pm")" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$(head -1 "$pm" 2>/dev/null || echo 0)" 2>/dev/null || break; sleep 0.5; done
  fi
}
cleanup() {
  local rc=$?
  if [[ -n "$GEN_PID" ]] && kill -0 "$GEN_PID" 2>/dev/null; then
    say "stopping the load generator (pid $GEN_PID)"
    kill -TERM "$GEN_PID" 2>/dev/null || true
  fi
  stop_app
  if [[ "${KEEP_TMP:-0}" == 1 || $rc -ne 0 ]]; then
    say "kept $TMP (app logs, psql and pgbench output)"
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
BASE="http://127.0.0.1:$PORT"
STARTS=0
start_app() {
  STARTS=$((STARTS + 1))
  local log="$TMP/app-$STARTS.log"
  say "starting taskbus on 127.0.0.1:$PORT (data in $DATA, log in $log)"
  (
    cd "$TMP"
    if [[ "$RATE_LIMIT" != default ]]; then
      export TASKBUS_API_RATELIMITPERSECOND="$RATE_LIMIT" TASKBUS_API_RATELIMITBURST="$RATE_LIMIT"
    fi
    exec env -u TASKBUS_PG_URL -u TASKBUS_KAFKA_BOOTSTRAPSERVERS -u TASKBUS_CONFIG \
      TASKBUS_HTTP_HOST=127.0.0.1 TASKBUS_HTTP_PORT="$PORT" TASKBUS_DEV_DATADIR="$DATA" \
      java -jar "$TMP/taskbus.jar" >"$log" 2>&1
  ) &
  APP_PID=$!
  for i in $(seq 1 240); do
    kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$log" >&2; die "taskbus exited during start"; }
    if curl -fsS -o /dev/null "$BASE/health/ready" 2>/dev/null; then break; fi
    [[ $i -lt 240 ]] || { tail -30 "$log" >&2; die "taskbus not ready after 120 s"; }
    sleep 0.5
  done
  PG_PORT="$(sed -n 's/.*embedded PostgreSQL on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -1)"
  [[ -n "$PG_PORT" ]] || die "no 'embedded PostgreSQL on 127.0.0.1:PORT' line in $log"
  export PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=postgres PGDATABASE=postgres
  PGPASSWORD="$(tr -d '\n' <"$DATA/postgres.password")"
  export PGPASSWORD
  PG_PID="$(head -1 "$DATA/postgres/postmaster.pid")"
  say "taskbus ready (pid $APP_PID); PostgreSQL on 127.0.0.1:$PG_PORT"
}
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

mkdir -p "$PERF_DIR/results"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
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
PGBENCH_CPU=""
PGB_ARGS=()
if has_phase throughput; then
  # the pgbench script gets the SELECT the app's TaskQuery builds for GET /tasks: $1, $2 = :user, :limit
  APP_SQL="$("${JAVA_PERF[@]}" io.taskbus.perf.SearchPlans --mode sql --search default \
    --app-jar "$TMP/taskbus.jar" "${SEARCH_OPTS[@]}" | head -1)"
  [[ "$APP_SQL" == SELECT*'$1'*'$2' && "$APP_SQL" != *'$3'* ]] \
    || die "unexpected SQL for GET /tasks (expected \$1 = user, \$2 = limit): $APP_SQL"
  grep -qx -- '-- @SELECT@' "$PERF_DIR/pgbench/search-tasks.sql" || die "no '-- @SELECT@' line in pgbench/search-tasks.sql"
  awk -v sql="$(printf '%s' "$APP_SQL" | sed 's/\$1/:user/; s/\$2/:limit/');" \
    '$0 == "-- @SELECT@" { print sql; next } { print }' "$PERF_DIR/pgbench/search-tasks.sql" \
    >"$TMP/search-tasks.sql"
  cp "$TMP/search-tasks.sql" "$PERF_DIR/results/$STAMP-search-pgbench.sql"
  mkdir -p "$TMP/pgbench"
  cpu_line() { head -1 /proc/stat 2>/dev/null || echo "cpu 0 0 0 0"; }
  # jiffies: "<all busy> <postgres, incl. reaped backends> <app JVM>" (Linux /proc; zeros elsewhere)
  ticks() {
    local busy
    busy="$(cpu_line | awk '{ for (i = 2; i <= 9 && i <= NF; i++) if (i != 5 && i != 6) b += $i; print b + 0 }')"
    # only our PostgreSQL: the postmaster and its children (other builds run their own)
    cat /proc/[0-9]*/stat 2>/dev/null | awk -v app="$APP_PID" -v busy="$busy" -v pm="$PG_PID" '
      { o = index($0, "("); c = index($0, ") "); comm = substr($0, o + 1, c - o - 1)
        split(substr($0, c + 2), f, " ")
        if (comm == "postgres" && ($1 == pm || f[2] == pm)) pg += f[12] + f[13] + f[14] + f[15]
        if ($1 == app) ap += f[12] + f[13] }
      END { print busy, pg + 0, ap + 0 }'
  }
  say "pgbench: -c $CLIENTS -j 2 -T $DURATION -M prepared, perf/pgbench/search-tasks.sql as $USER_ID"
  grep -v '^--' "$TMP/search-tasks.sql" | sed 's/^/[run-search]   /' >&2
  read -r BUSY0 PG0 APP0 <<<"$(ticks)"
  T0="$(date +%s.%N)"
  TIMEFORMAT='%U %S'
  { time "$PGBENCH" -n -c "$CLIENTS" -j 2 -T "$DURATION" -M prepared -D user="$USER_ID" -D limit=51 \
      -f "$TMP/search-tasks.sql" -l --log-prefix="$TMP/pgbench/log" \
      >"$TMP/pgbench.out" 2>&1 ; } 2>"$TMP/pgbench.time" \
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
  PGB_ARGS=(--pgbench-out "$TMP/pgbench.out" --pgbench-log-prefix "$TMP/pgbench/log" --pgbench-cpu "$PGBENCH_CPU")
fi

# --- the load generator: the HTTP closed loop, then the open model per search
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
GEN_OPTS=(--base-url "$BASE" --connections "$CLIENTS" --rate "$RATE" --open-warmup "$OPEN_WARMUP"
  --open-duration "$OPEN_DURATION" --drain "$DRAIN" --prewarm "$PREWARM" --warmup "$WARMUP" --max-duration "$DURATION" --searches "$SEARCHES")
has_phase throughput || GEN_OPTS+=(--max-duration 0)
has_phase open || GEN_OPTS+=(--searches "")
[[ -z "$PLANS_SUMMARY" ]] || GEN_OPTS+=(--plans "$PLANS_SUMMARY")
say "load generator$(has_phase throughput && echo ": closed loop ${WARMUP}+${DURATION} s")$(
  has_phase open && echo ", open model $RATE/s for ${OPEN_WARMUP}+${OPEN_DURATION} s per search ($SEARCHES)")"
GEN_RC=0
TASKBUS_PERF_APP_PID="$APP_PID" TASKBUS_PERF_PG_PID="$PG_PID" "${JAVA_PERF[@]}" io.taskbus.perf.SearchScenario "${GEN_OPTS[@]}" \
  "${SEARCH_OPTS[@]}" "${PGB_ARGS[@]}" --data "$DATA_TEXT" --label "$LABEL" >"$TMP/report.txt" &
GEN_PID=$!
wait "$GEN_PID" || GEN_RC=$?
GEN_PID=""
[[ -s "$TMP/report.txt" ]] || die "the load generator failed (exit $GEN_RC) before its report"
cp "$TMP/report.txt" "$RESULT"
cat "$TMP"/app-*.log >"$PERF_DIR/results/$STAMP-search-app.log"
echo
cat "$RESULT"
say "report written to ${RESULT#"$ROOT"/} (app log and plans beside it)"
exit "$GEN_RC"
