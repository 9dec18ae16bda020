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

  /** Measures for {@code durationMs} from the moment {@code warmedUp} completes. */
  Future<Phase> run(int connections, Future<Void> warmedUp, long durationMs) {
    Phase warmup = new Phase("warm-up");
    Phase phase = new Phase("max");
    long[] window = {Long.MAX_VALUE, Long.MAX_VALUE};
    warmedUp.onSuccess(v -> {
      window[0] = System.nanoTime();
      window[1] = window[0] + durationMs * 1_000_000L;
    });
    Promise<Phase> done = Promise.promise();
    int[] active = {connections};
    for (int c = 0; c < connections; c++) {
      loop(warmup, phase, window, () -> {
        if (--active[0] == 0) {
          phase.seconds = durationMs / 1000.0;
          done.complete(phase);
        }
      });
    }
    return done.future();
  }

  /** {@code window}: from, until (nanoTime); both far away until the warm-up is over. */
  private void loop(Phase warmup, Phase phase, long[] window, Runnable finished) {
    long n = next++;
    long sentAt = System.nanoTime();
    request.send(n).onComplete(ar -> {
      long now = System.nanoTime();
      Api.Outcome o = ar.result();
      completed++;
      Phase p = now >= window[0] && now < window[1] ? phase : warmup;
      p.sent++;
      p.outcome(o);
      p.latency.recordNanos(now - sentAt);
      answered.answered(n, o, now, now - sentAt, p);
      if (now < window[1]) {
        loop(warmup, phase, window, finished);
      } else {
        finished.run();
      }
    });
  }
}
