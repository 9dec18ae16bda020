#!/usr/bin/env bash
# The chaos suite, in full: the fault and attack tests of the build at a larger scale, several
# rounds, and one report. Each round runs, on real servers the tests start themselves (embedded
# PostgreSQL, Kafka brokers in this machine's processes, taskbus as child JVMs where a process is
# killed):
#
#   OutagesIT            Kafka stopped KAFKA_AWAY_SECONDS under four users' writes (nothing lost,
#                        each user's events once and in order); PostgreSQL stopped (503 +
#                        Retry-After, nothing acknowledged lost); two log lines per outage
#   SplitLayoutIT        api, bridge and two workers as processes; the relay leader SIGKILLed
#                        under SPLIT_TASKS creates: every event in its browser, one audit row each
#   RelayFailoverIT      the relay process SIGKILLed while 1 000 tasks are created
#   TimerCrashIT         a timer process SIGKILLed inside its minute: each reminder fired once
#   NotificationHandOverIT  a worker SIGKILLed before reminders fall due: each in its inbox at once
#   PartitionsIT         an api and a leading relay cut off from PostgreSQL by iptables: 503 in
#                        bounded time, the lead moves, nothing acknowledged lost after it heals;
#                        a split brain of two clustered processes: one relay, each reminder once
#   GracefulStopIT       SIGTERM under load: every acknowledged create stored and published
#   HostileInputIT       HOSTILE_REQUESTS requests generated from the OpenAPI document, broken
#                        HTTP framing: never a 5xx or a hang, another user's data unchanged
#   BridgeSecurityIT     another user on every bridge transport, odd and tampered tokens
#   PoisonRecordsIT      records no consumer can take: dead-lettered, the stream goes on
#   BridgeCrowdIT        CROWD_USERS × 10 idle tabs on a bridge process of its own, active tabs, and
#                        one that reads nothing under 42 MB of its user's events: it is closed at
#                        bridge.writeQueueBytes, the bridge's heap stays put, the others are served
#
# The build's `./mvnw verify` runs the same tests once at their small default scale; this runs them
# ROUNDS times with new seeds. Options are environment variables:
#
#   ROUNDS=3  HOSTILE_REQUESTS=20000  KAFKA_AWAY_SECONDS=35  SPLIT_TASKS=2000  CROWD_USERS=1000
#   SUITE=<the list above>
#
# The report (every test's outcome and time per round, and the figures the tests print) goes to
# stdout and perf/results/<UTC timestamp>-chaos.txt; the Maven log of each round beside it. The
# exit status is 0 only if every round passed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
case "${1:-}" in
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
  "") ;;
  *) echo "options are environment variables (see $0 --help), not arguments: $*" >&2; exit 2 ;;
esac

ROUNDS="${ROUNDS:-3}"
HOSTILE_REQUESTS="${HOSTILE_REQUESTS:-20000}"
KAFKA_AWAY_SECONDS="${KAFKA_AWAY_SECONDS:-35}"
SPLIT_TASKS="${SPLIT_TASKS:-2000}"
CROWD_USERS="${CROWD_USERS:-1000}"
SUITE="${SUITE:-OutagesIT,SplitLayoutIT,RelayFailoverIT,TimerCrashIT,NotificationHandOverIT,PartitionsIT,GracefulStopIT,HostileInputIT,BridgeSecurityIT,PoisonRecordsIT,BridgeCrowdIT}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
results="$ROOT/perf/results"
mkdir -p "$results"
report="$results/$stamp-chaos.txt"
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"

{
  echo "chaos suite $stamp, commit $commit, $(nproc) cores"
  echo "ROUNDS=$ROUNDS HOSTILE_REQUESTS=$HOSTILE_REQUESTS KAFKA_AWAY_SECONDS=$KAFKA_AWAY_SECONDS SPLIT_TASKS=$SPLIT_TASKS CROWD_USERS=$CROWD_USERS"
  echo "SUITE=$SUITE"
} | tee "$report"

failed=0
for round in $(seq 1 "$ROUNDS"); do
  seed="$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')"
  log="$results/$stamp-chaos-round$round.log"
  echo "" | tee -a "$report"
  echo "round $round (hostile seed $seed), Maven log: $log" | tee -a "$report"
  started=$(date +%s)
  status=0
  rm -rf "$ROOT/verticles/app/target/failsafe-reports"
  (cd "$ROOT" && ./mvnw -B verify -pl verticles/app -am \
      -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
      -Dit.test="$SUITE" \
      -Dtaskbus.hostile.requests="$HOSTILE_REQUESTS" -Dtaskbus.hostile.seed="$seed" \
      -Dtaskbus.chaos.kafkaAwaySeconds="$KAFKA_AWAY_SECONDS" \
      -Dtaskbus.chaos.splitTasks="$SPLIT_TASKS" \
      -Dtaskbus.chaos.crowdUsers="$CROWD_USERS") >"$log" 2>&1 || status=$?
  echo "  $(( $(date +%s) - started )) s, Maven exit status $status" | tee -a "$report"
  # each test class: tests, failures, errors, seconds (Failsafe's XML reports)
  for xml in "$ROOT"/verticles/app/target/failsafe-reports/TEST-*.xml; do
    [ -e "$xml" ] || continue
    sed -n '0,/<testsuite /{s/.*<testsuite \(.*\)>.*/\1/p}' "$xml" | tr ' ' '\n' \
      | awk -F'"' '/^name=/{n=$2} /^tests=/{t=$2} /^failures=/{f=$2} /^errors=/{e=$2} /^time=/{s=$2}
                   END{sub(/.*\./,"",n); printf "  %-20s %3s tests %2s failed %2s errors %7.1f s\n", n, t, f, e, s}'
  done | tee -a "$report"
  grep -h '^chaos: ' "$log" | sed 's/^chaos: /  /' | tee -a "$report" || true
  [ "$status" -eq 0 ] || failed=1
done

echo "" | tee -a "$report"
if [ "$failed" -eq 0 ]; then
  echo "every round passed" | tee -a "$report"
else
  echo "FAILED: see the rounds above and their Maven logs" | tee -a "$report"
fi
echo "report: $report"
exit "$failed"
