package io.taskbus.perf;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Constant arrival rate (an open model): request i is due at {@code start + i / rate} whatever
 * happened to the others, and its latency is measured from that due time, not from when it was
 * actually written. A stall in the server (or in the generator) therefore shows in the latency of
 * every request that should have been sent during it: no coordinated omission. Requests beyond
 * the open connections wait in the client's queue, and that wait counts too.
 */
final class OpenLoop {

  private final Vertx vertx;
  private final Request request;
  private final Request.Answered answered;

  OpenLoop(Vertx vertx, Request request, Request.Answered answered) {
    this.vertx = vertx;
    this.request = request;
    this.answered = answered;
  }

  Future<Phase> run(double rate, long durationMs) {
    return run(new Phase("open"), rate, durationMs);
  }

  /**
   * With a limit, the phase ends at the latest {@code drainMs} after its last scheduled send: an
   * overloaded system could otherwise keep it going for minutes. Requests still unanswered then
   * count as errors ("no answer ...") with the latency they had reached (a lower bound, so the
   * percentiles are not flattered), and their late answers are ignored. 0: wait for every answer.
   */
  private long drainMs;
  /** Requests unanswered when the drain limit ended the phase. */
  long abandoned;

  OpenLoop drainLimit(long ms) {
    this.drainMs = ms;
    return this;
  }

  Future<Phase> run(Phase phase, double rate, long durationMs) {
    phase.targetRate = rate;
    long total = Math.max(1, Math.round(rate * durationMs / 1000.0));
    double interval = 1e9 / rate;
    long start = System.nanoTime() + 5_000_000L;
    Promise<Phase> done = Promise.promise();
    long[] scheduled = {0};
    long[] inFlight = {0};
    long[] lastCompletion = {start};
    java.util.Map<Long, Long> pending = new java.util.HashMap<>();
    if (drainMs > 0) {
      long endMs = (long) ((start - System.nanoTime()) / 1e6 + durationMs + drainMs);
      vertx.setTimer(Math.max(1, endMs), t -> {
        if (done.future().isComplete()) {
          return;
        }
        long now = System.nanoTime();
        String error = String.format(java.util.Locale.ROOT,
            "no answer %d s after the last scheduled request (abandoned)", drainMs / 1000);
        pending.forEach((n, due) -> {
          phase.outcome(new Api.Outcome(-1, null, error));
          phase.latency.recordNanos(now - due);
          abandoned++;
        });
        pending.clear();
        phase.seconds = (now - start) / 1e9;
        done.tryComplete(phase);
      });
    }
    tick(phase, start, interval, total, scheduled, inFlight, lastCompletion, pending, done);
    return done.future();
  }

  /** Sends every request that is due, then sleeps until the next one is (1 ms timer resolution). */
  private void tick(Phase phase, long start, double interval, long total, long[] scheduled,
      long[] inFlight, long[] lastCompletion, java.util.Map<Long, Long> pending,
      Promise<Phase> done) {
    long now = System.nanoTime();
    while (scheduled[0] < total) {
      long due = start + (long) (scheduled[0] * interval);
      if (due > now) {
        long delayMs = Math.max(1, (due - now) / 1_000_000L);
        vertx.setTimer(delayMs, t -> tick(phase, start, interval, total, scheduled, inFlight,
            lastCompletion, pending, done));
        return;
      }
      long n = scheduled[0]++;
      inFlight[0]++;
      phase.sent++;
      phase.dispatchLag.recordNanos(now - due);
      pending.put(n, due);
      request.send(n).onComplete(ar -> {
        if (pending.remove(n) == null) {
          return; // abandoned at the drain limit, already counted
        }
        long at = System.nanoTime();
        Api.Outcome o = ar.result();
        phase.outcome(o);
        phase.latency.recordNanos(at - due);
        answered.answered(n, o, at, at - due, phase);
        lastCompletion[0] = Math.max(lastCompletion[0], at);
        if (--inFlight[0] == 0 && scheduled[0] == total) {
          phase.seconds = (lastCompletion[0] - start) / 1e9;
          done.tryComplete(phase);
        }
      });
    }
  }
}
