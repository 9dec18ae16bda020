#!/usr/bin/env python3
"""Where a taskbus JVM's CPU went, from a JFR recording (settings=profile): the Java samples
(jdk.ExecutionSample) by thread group, the event loops' samples by what they were doing, and the
threads' CPU (jdk.ThreadCPULoad) by group, the JIT compiler among them.

    perf/jfr-breakdown.py RECORDING.jfr [FROM]

FROM (HH:MM:SS, the recording's local time): only events from then on, e.g. after a warm-up.
"""
import collections
import os
import re
import subprocess
import sys

# the first rule whose pattern is in a sample's stack names what an event loop was doing
EVENT_LOOP_WORK = [
    ("relay (outbox -> Kafka)", r"io\.taskbus\.kafka\.OutboxRelay"),
    ("audit writer", r"io\.taskbus\.audit\."),
    ("subscriptions: records -> events for the live feed, recurrence, notification",
     r"io\.taskbus\.kafka\.(AckSubscription|PublishSubscription)|KafkaReadStreamImpl"),
    ("bridge", r"io\.taskbus\.bridge\."),
    ("API: taskbus handlers (JSON, validation, tokens, SQL)", r"io\.taskbus\.api\."),
    ("API: HTTP and routing (Vert.x)", r"Http1xServer|RoutingContext"),
    ("PostgreSQL client protocol", r"io\.vertx\.(pgclient|sqlclient)"),
]
BROKER = ("data-plane-kafka", "executor-", "ExpirationReaper", "kafka-", "quorum", "broker-",
          "raft", "group-coordinator", "group-metadata", "LogDirFailure", "controller-")


def thread_group(name):
    if "eventloop" in name:
        return "event loops"
    if "vert.x-kafka-consumer" in name or "kafka-producer" in name or "heartbeat-thread" in name \
            or "admin-client" in name:
        return "Kafka clients' threads (consumers, producer)"
    if name.startswith(BROKER):
        return "Kafka broker (in the app JVM)"
    return "other: " + re.sub(r"\d+", "N", name)


def events(recording, kind, depth, since):
    out = subprocess.run(["jfr", "print", "--stack-depth", str(depth), "--events", kind, recording],
                         capture_output=True, text=True, check=True).stdout
    for block in out.split(kind + " {")[1:]:
        start = re.search(r"startTime = (\d\d:\d\d:\d\d)", block)
        if since is None or (start and start.group(1) >= since):
            yield block


def main(recording, since=None):
    samples = collections.Counter()
    work = collections.Counter()
    for block in events(recording, "jdk.ExecutionSample", 128, since):
        thread = re.search(r'sampledThread = "([^"]*)"', block)
        group = thread_group(thread.group(1) if thread else "?")
        samples[group] += 1
        if group == "event loops":
            work[next((name for name, rx in EVENT_LOOP_WORK if re.search(rx, block)),
                      "other on the event loops")] += 1
    total = sum(samples.values())
    print(f"Java samples: {total} (running Java code only: no GC, JIT or native time)")
    for group, n in samples.most_common(6):
        print(f"  {100 * n / total:5.1f} %  {group}")
    print("event loops, by what the sample was doing (share of all Java samples):")
    for name, n in work.most_common():
        print(f"  {100 * n / total:5.1f} %  {name}")

    loads = collections.defaultdict(list)
    for block in events(recording, "jdk.ThreadCPULoad", 1, since):
        thread = re.search(r'eventThread = "([^"]*)"', block)
        user = float(re.search(r"user = ([\d.]+)%", block).group(1))
        system = float(re.search(r"system = ([\d.]+)%", block).group(1))
        loads[thread.group(1) if thread else "?"].append(user + system)
    periods = max((len(v) for v in loads.values()), default=1)
    cpu = collections.Counter()
    for name, values in loads.items():
        group = "JIT compiler" if "CompilerThread" in name else thread_group(name)
        cpu[group] += sum(values) / periods
    whole = sum(cpu.values()) or 1
    print(f"threads' CPU (jdk.ThreadCPULoad, {os.cpu_count()} cores; GC threads are not listed):")
    for group, share in cpu.most_common(8):
        print(f"  {100 * share / whole:5.1f} %  {group}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(*sys.argv[1:])
