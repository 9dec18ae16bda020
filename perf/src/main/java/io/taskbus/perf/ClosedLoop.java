package io.taskbus.perf;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Maximum throughput: {@code connections} clients, each sending its next request (a create, a
 * search) as soon as the previous one answered (a closed loop, like pgbench without -R). Only
 * completions inside the measured window count; the warm-up before it lets the JIT, the pools and
 * Kafka settle.
 */
final class ClosedLoop {

  private final Request request;
  private final Request.Answered answered;
  private long next;
  /** Completed requests so far, warm-up included (for progress lines). */
  long completed;

  ClosedLoop(Request request, Request.Answered answered) {
    this.request = request;
    this.answered = answered;
  }

  Future<Phase> run(int connections, long warmupMs, long durationMs) {
    Phase warmup = new Phase("warm-up");
    Phase phase = new Phase("max");
    long now = System.nanoTime();
    long measureFrom = now + warmupMs * 1_000_000L;
    long measureUntil = measureFrom + durationMs * 1_000_000L;
    Promise<Phase> done = Promise.promise();
    int[] active = {connections};
    for (int c = 0; c < connections; c++) {
      loop(warmup, phase, measureFrom, measureUntil, () -> {
        if (--active[0] == 0) {
          phase.seconds = durationMs / 1000.0;
          done.complete(phase);
        }
      });
    }
    return done.future();
  }

  private void loop(Phase warmup, Phase phase, long from, long until, Runnable finished) {
    long n = next++;
    long sentAt = System.nanoTime();
    request.send(n).onComplete(ar -> {
      long now = System.nanoTime();
      Api.Outcome o = ar.result();
      completed++;
      Phase p = now >= from && now < until ? phase : warmup;
      p.sent++;
      p.outcome(o);
      p.latency.recordNanos(now - sentAt);
      answered.answered(n, o, now, now - sentAt, p);
      if (now < until) {
        loop(warmup, phase, from, until, finished);
      } else {
        finished.run();
      }
    });
  }
}
