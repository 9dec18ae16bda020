package io.taskbus.perf;

import java.util.Map;
import java.util.TreeMap;

/** The HTTP-side figures of one load phase (creates or searches). */
final class Phase {

  final String name;
  final Latency latency = new Latency();
  /** Open model only: how late the generator itself dispatched requests (its own health). */
  final Latency dispatchLag = new Latency();
  final EventWatcher.Stats events;
  final Map<String, Long> errors = new TreeMap<>();
  /** Successful requests: 201 for a create, 200 for a search. */
  long created;
  long failed;
  long sent;
  double seconds;
  double targetRate;

  Phase(String name) {
    this.name = name;
    this.events = new EventWatcher.Stats(name);
  }

  /** The phases as one: counts, seconds and latencies added up. */
  static Phase sum(String name, java.util.List<Phase> phases) {
    Phase all = new Phase(name);
    for (Phase p : phases) {
      all.created += p.created;
      all.failed += p.failed;
      all.sent += p.sent;
      all.seconds += p.seconds;
      all.latency.histogram.add(p.latency.histogram);
      p.errors.forEach((kind, n) -> all.errors.merge(kind, n, Long::sum));
    }
    return all;
  }

  double rate() {
    return seconds <= 0 ? 0 : created / seconds;
  }

  void outcome(Api.Outcome o) {
    if (o.ok()) {
      created++;
    } else {
      failed++;
      String key = o.status() < 0 ? o.error() : "HTTP " + o.status();
      if (key != null && key.length() > 120) {
        key = key.substring(0, 120);
      }
      errors.merge(String.valueOf(key), 1L, Long::sum);
    }
  }
}
