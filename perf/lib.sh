# shellcheck shell=bash
# What every perf/run-*.sh shares: options, building, starting and stopping taskbus processes (and
# the embedded PostgreSQL they leave behind), CPU accounting, the report label. Sourced, not run:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#   perf_init create "$@"               # [run-create] messages, -h/--help, traps, $PERF_TMP
#   perf_opt DURATION 20                # DURATION=${DURATION:-20}, listed in the report's options
#   perf_build                          # the app jar if missing, always the generator
#   perf_app_start app "$DATA" "$PORT" [VAR=value ...]; perf_app_ready app "$PORT"
#   perf_pg_env "$DATA" app             # PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE, $PG_PID
#
# Every process started through perf_app_start or registered with perf_track is stopped when the
# script ends, however it ends (SIGTERM, SIGKILL after 30 s); so is an embedded PostgreSQL left
# behind in a data directory it used. Only these processes: nothing is stopped by name.
set -euo pipefail

PERF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$PERF_DIR/.." && pwd)"
PERF_NAME=perf
PERF_PIDS=()     # taskbus processes, in start order (stopped in reverse)
PERF_TRACKED=()  # other processes of ours: load generators, the bare bridge
PERF_DATAS=()    # data directories whose postmaster may outlive its JVM
PERF_OPTS=()     # "NAME=value" of every perf_opt, for the report
PERF_TMP=""
GENERATOR_JAR="$PERF_DIR/target/taskbus-perf.jar"
PGBENCH="${PGBENCH:-$(command -v pgbench || echo /usr/bin/pgbench)}"
PSQL="${PSQL:-$(command -v psql || echo /usr/bin/psql)}"

say() { printf '[run-%s] %s\n' "$PERF_NAME" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# perf_init NAME "$@": the scenario's name, -h/--help (prints the script's leading comment), the
# temporary directory and the traps. Options are environment variables (perf_opt), not arguments.
perf_init() {
  PERF_NAME="$1"; shift
  local script="${BASH_SOURCE[1]}"
  if [[ $# -gt 0 ]]; then
    case "$1" in
      -h|--help) sed -n '2,/^set -euo/p' "$script" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
      *) die "options are environment variables (see $0 --help), not arguments: $*" ;;
    esac
  fi
  command -v java >/dev/null || die "java (17+) is needed"
  command -v curl >/dev/null || die "curl is needed"
  PERF_TMP="$(mktemp -d "${TMPDIR:-/tmp}/taskbus-perf-$PERF_NAME.XXXXXX")"
  trap perf_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# perf_opt NAME DEFAULT: NAME keeps its value from the environment, else DEFAULT
perf_opt() {
  local name="$1" default="$2"
  printf -v "$name" '%s' "${!name:-$default}"
  PERF_OPTS+=("$name=${!name}")
}
perf_opts_line() { local IFS=' '; echo "${PERF_OPTS[*]}"; }

perf_need_pg_tools() {
  [[ -x "$PGBENCH" && -x "$PSQL" ]] || die "pgbench and psql are needed: apt-get install postgresql-client"
}

# --- building (offline first: the local repository usually has it all). Never mvn install.
mvn_quiet() { "$ROOT/mvnw" -B -o -q "$@" || "$ROOT/mvnw" -B -q "$@"; }
perf_build() {
  APP_JAR_GIVEN="${APP_JAR:+yes}"
  APP_JAR="${APP_JAR:-${TASKBUS_JAR:-$ROOT/verticles/app/target/taskbus.jar}}"
  if [[ ! -f "$APP_JAR" ]]; then
    say "building $APP_JAR (./mvnw package -DskipTests -pl verticles/app -am)"
    (cd "$ROOT" && mvn_quiet package -DskipTests -pl verticles/app -am)
  fi
  if [[ "${SKIP_GENERATOR_BUILD:-0}" != 1 ]]; then
    say "building the load generator (perf/pom.xml)"
    (cd "$PERF_DIR" && mvn_quiet package)
  fi
  [[ -f "$GENERATOR_JAR" ]] || die "no $GENERATOR_JAR"
  cp "$APP_JAR" "$PERF_TMP/taskbus.jar"
}

# perf_label: the report's first words: the jar's build time and the checkout (or LABEL if set)
perf_label() {
  if [[ -n "${LABEL:-}" ]]; then echo "$LABEL"; return; fi
  local label
  label="jar built $(date -u -r "$APP_JAR" +%Y-%m-%dT%H:%MZ)"
  if [[ -z "${APP_JAR_GIVEN:-}" ]]; then
    label="$label; checkout at $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(
      cd "$ROOT" && git diff --quiet HEAD -- verticles 2>/dev/null || echo ' + uncommitted changes')"
  else
    label="$label: $APP_JAR"
  fi
  # with autogroups every PostgreSQL backend (it calls setsid) is a scheduling group of its own and
  # the whole JVM one: at saturation backends with a request waiting can go unscheduled for tenths
  # of a second (perf/README.md, search scenario, "What limits these figures"), which shows in every tail
  [[ "$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null)" != 1 ]] \
    || label="$label; kernel.sched_autogroup_enabled=1"
  echo "$label"
}

# perf_free_port: a loopback port for a server started next, free when picked. Like the tests'
# FreePort it comes from 20000-29999, below the kernel's ephemeral range, where no client socket or
# port-0 bind can take it before the server binds it; and it is never handed out twice in one run
# (the ports handed out are kept in $PERF_TMP, since each $(perf_free_port) is a subshell).
perf_free_port() {
  python3 - "$PERF_TMP/ports" <<'PY'
import random, socket, sys
path = sys.argv[1]
try:
    taken = set(open(path).read().split())
except OSError:
    taken = set()
for _ in range(1000):
    port = random.randrange(20000, 30000)
    if str(port) in taken:
        continue
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    with open(path, "a") as f:
        f.write(f"{port}\n")
    print(port)
    sys.exit(0)
sys.exit("no free loopback port in 20000-29999")
PY
}

# perf_app_start NAME DATA PORT [VAR=value ...]: a taskbus process in the background on
# 127.0.0.1:PORT with its data (embedded PostgreSQL and Kafka unless VARs point elsewhere) in
# DATA, its log in $PERF_TMP/NAME.log; its pid in APP_PID. JAVA_OPTS go before -jar.
perf_app_start() {
  local name="$1" data="$2" port="$3"; shift 3
  mkdir -p "$data"
  PERF_DATAS+=("$data")
  say "starting taskbus '$name' on 127.0.0.1:$port (data in $data, log in $PERF_TMP/$name.log)"
  # a closed loop with more clients than the machine serves at once queues by design, and the api
  # would shrink what it admits (api.queueTargetMs); it measures the maximum, so only the overload
  # scenario, whose subject admission is, keeps the configured target (PERF_ADMISSION=configured)
  local admission=(TASKBUS_API_QUEUETARGETMS=60000)
  [[ "${PERF_ADMISSION:-relaxed}" == configured ]] && admission=()
  # shellcheck disable=SC2086
  (
    cd "$PERF_TMP"
    exec env -u TASKBUS_PG_URL -u TASKBUS_KAFKA_BOOTSTRAPSERVERS -u TASKBUS_CONFIG \
      -u TASKBUS_AUTH_JWTSECRET TASKBUS_HTTP_HOST=127.0.0.1 TASKBUS_HTTP_PORT="$port" \
      TASKBUS_DEV_DATADIR="$data" "${admission[@]}" "$@" java ${JAVA_OPTS:-} -jar "$PERF_TMP/taskbus.jar" \
      >"$PERF_TMP/$name.log" 2>&1
  ) &
  APP_PID=$!
  PERF_PIDS+=("$APP_PID")
}

# perf_app_ready NAME PORT [SECONDS]: waits for GET /health/ready; dies if a process exits
perf_app_ready() {
  local name="$1" port="$2" limit="${3:-180}" pid
  for ((i = 0; i < limit * 2; i++)); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null; then return 0; fi
    for pid in "${PERF_PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || { tail -30 "$PERF_TMP/$name.log" >&2; die "a taskbus process exited during start"; }
    done
    sleep 0.5
  done
  tail -30 "$PERF_TMP/$name.log" >&2
  die "$name not ready after $limit s"
}

# perf_pg_env DATA NAME: the embedded PostgreSQL of the process NAME (its log names the port)
perf_pg_env() {
  local data="$1" name="$2"
  PG_PORT="$(sed -n 's/.*embedded PostgreSQL on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$PERF_TMP/$name.log" | head -1)"
  [[ -n "$PG_PORT" ]] || die "no 'embedded PostgreSQL on 127.0.0.1:PORT' line in $PERF_TMP/$name.log"
  export PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=postgres PGDATABASE=postgres
  PGPASSWORD="$(tr -d '\n' <"$data/postgres.password")"
  export PGPASSWORD
  PG_PID="$(head -1 "$data/postgres/postmaster.pid")"
}

# perf_run_app NAME DATA PORT [VAR=value ...]: start, wait until ready, PostgreSQL environment
perf_run_app() {
  perf_app_start "$@"
  perf_app_ready "$1" "$3"
  perf_pg_env "$2" "$1"
  say "taskbus '$1' ready (pid $APP_PID); PostgreSQL on 127.0.0.1:$PG_PORT (pid $PG_PID)"
}

perf_track() { PERF_TRACKED+=("$1"); }

# stops PID: SIGTERM, then SIGKILL after 30 s
perf_stop_pid() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  say "pid $pid did not stop within 30 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

# perf_stop_all: every taskbus process (last started first) and any postmaster they left behind
perf_stop_all() {
  local pid data pm
  for ((i = ${#PERF_PIDS[@]} - 1; i >= 0; i--)); do
    kill -0 "${PERF_PIDS[$i]}" 2>/dev/null && say "stopping taskbus (pid ${PERF_PIDS[$i]})"
    kill -TERM "${PERF_PIDS[$i]}" 2>/dev/null || true
  done
  for pid in "${PERF_PIDS[@]}"; do perf_stop_pid "$pid"; done
  PERF_PIDS=()
  APP_PID=""
  for data in "${PERF_DATAS[@]}"; do
    pm="$(head -1 "$data/postgres/postmaster.pid" 2>/dev/null || true)"
    if [[ -n "$pm" ]] && kill -0 "$pm" 2>/dev/null; then
      say "stopping the embedded PostgreSQL left behind (pid $pm)"
      kill -TERM "$pm" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pm" 2>/dev/null || break; sleep 0.5; done
    fi
  done
  PERF_DATAS=()
}

perf_cleanup() {
  local rc=$?
  local pid
  for pid in "${PERF_TRACKED[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then say "stopping pid $pid"; perf_stop_pid "$pid"; fi
  done
  perf_stop_all
  if [[ -n "$PERF_TMP" ]]; then
    if [[ "${KEEP_TMP:-0}" == 1 || $rc -ne 0 ]]; then say "kept $PERF_TMP (logs)"; else rm -rf "$PERF_TMP"; fi
  fi
  exit $rc
}

# --- CPU accounting (Linux /proc; zeros elsewhere)
# perf_ticks APP_PID PG_PID: "<all busy> <our postgres, reaped backends included> <app JVM>" jiffies
perf_ticks() {
  local app="$1" pm="$2" busy
  busy="$(head -1 /proc/stat 2>/dev/null | awk '{ for (i = 2; i <= 9 && i <= NF; i++) if (i != 5 && i != 6) b += $i; print b + 0 }')"
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v app="$app" -v busy="${busy:-0}" -v pm="$pm" '
    { o = index($0, "("); c = index($0, ") "); comm = substr($0, o + 1, c - o - 1)
      split(substr($0, c + 2), f, " ")
      if (comm == "postgres" && ($1 == pm || f[2] == pm)) pg += f[12] + f[13] + f[14] + f[15]
      if ($1 == app) ap += f[12] + f[13] }
    END { print busy, pg + 0, ap + 0 }'
}

# perf_pid_ticks PID...: user+system jiffies of the pids and their reaped children
perf_pid_ticks() {
  local total=0 pid
  for pid in "$@"; do
    if [[ -r "/proc/$pid/stat" ]]; then
      total=$((total + $(awk '{ c = index($0, ") "); split(substr($0, c + 2), f, " "); print f[12] + f[13] + f[14] + f[15] }' "/proc/$pid/stat")))
    fi
  done
  echo "$total"
}

# perf_hold_pgbench GEN_PID GO: when the load generator GEN_PID has warmed the app up and holds
# (it writes GO.ready; see --hold), runs the script's run_pgbench while both idle, then releases
# the generator (GO)
perf_hold_pgbench() {
  local gen="$1" go="$2"
  until [[ -e "$go.ready" ]]; do
    kill -0 "$gen" 2>/dev/null || die "the load generator ended during its warm-up"
    sleep 0.5
  done
  sleep 5
  run_pgbench
  touch "$go"
}

# perf_jit_ticks PID: user+system jiffies of the JVM's JIT compiler threads so far
perf_jit_ticks() {
  cat /proc/"$1"/task/*/stat 2>/dev/null | awk '
    { o = index($0, "("); c = index($0, ") "); comm = substr($0, o + 1, c - o - 1)
      split(substr($0, c + 2), f, " ")
      if (comm ~ /^C[12] CompilerThre/) t += f[12] + f[13] }
    END { print t + 0 }'
}

# perf_timed_pgbench OUT_PREFIX APP_PID PG_PID pgbench-args...: runs pgbench, prints its CPU line
# ("NN% of 2 cores busy; cores used: postgres, pgbench client, app JVM (idle), everything else")
# and under it "jiffies postgres=P client=C", from which the generator's report gives the CPU per
# transaction (CpuCost) beside taskbus's
perf_timed_pgbench() {
  local out="$1" app="$2" pm="$3"; shift 3
  local b0 p0 a0 b1 p1 a1 t0 t1 u s
  read -r b0 p0 a0 <<<"$(perf_ticks "$app" "$pm")"
  t0="$(date +%s.%N)"
  local TIMEFORMAT='%U %S'
  { time "$PGBENCH" "$@" >"$out.out" 2>&1 ; } 2>"$out.time" \
    || { cat "$out.out" >&2; die "pgbench failed"; }
  sleep 0.2 # let the postmaster reap the backends, so their CPU shows in its cutime
  read -r b1 p1 a1 <<<"$(perf_ticks "$app" "$pm")"
  t1="$(date +%s.%N)"
  read -r u s <"$out.time"
  awk -v b0="$b0" -v b1="$b1" -v p0="$p0" -v p1="$p1" -v a0="$a0" -v a1="$a1" \
    -v u="$u" -v s="$s" -v t0="$t0" -v t1="$t1" -v n="$(nproc)" 'BEGIN {
      d = t1 - t0; busy = (b1 - b0) / 100 / d; pg = (p1 - p0) / 100 / d; app = (a1 - a0) / 100 / d
      cl = (u + s) / d; other = busy - pg - app - cl; if (other < 0) other = 0
      printf "%.0f%% of %d cores busy; cores used: postgres %.2f, pgbench client %.2f, app JVM (idle) %.2f, everything else %.2f\n",
        100 * busy / n, n, pg, cl, app, other
      printf "jiffies postgres=%d client=%d", p1 - p0, (u + s) * 100 + 0.5 }'
}

# perf_machine: one line about the machine and its load right now (others share it)
perf_machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at the start; $(java -version 2>&1 | head -1)"
}

perf_results() { mkdir -p "$PERF_DIR/results"; date -u +%Y%m%dT%H%M%SZ; }
