package io.taskbus.api;

import java.util.HashMap;
import java.util.Map;

/**
 * Admission by queue time, not queue length: how many requests one process works on at once follows
 * how long they queue. A request's queue time is what it took beyond the fastest the same operation
 * took lately. In every {@code api.queueIntervalMs} where requests reached the limit, the
 * interval's average decides: above {@code api.queueTargetMs} the limit shrinks in proportion
 * (target / average, between a tenth and half), at or below it the limit grows by one (additive
 * increase, multiplicative decrease, as TCP finds a path's capacity). Below the limit nothing
 * changes: requests that wait then wait for something else (a busy machine, a slow disk), which
 * refusing some would not cure.
 *
 * <p>On a machine whose cores are the bottleneck, a fixed limit either admits requests that only
 * wait for a core behind the others or refuses what a bigger machine serves (perf/README.md, the
 * overload scenario); this one finds the concurrency that keeps admitted requests close to their
 * unloaded latency, between the cores (CPU-bound work goes no faster with fewer) and {@code
 * api.maxInFlight}.
 *
 * <p>One per process, like the cores and the pool it protects. Times are {@link System#nanoTime()}
 * values, passed in so that tests choose them.
 */
final class QueueTime {

  static final QueueTime PROCESS = new QueueTime(Runtime.getRuntime().availableProcessors());

  /** An operation's fastest time is forgotten after 10 to 20 s: a warmer JIT, a larger table. */
  private static final long FORGET_NANOS = 10_000_000_000L;

  private final int floor;
  private long targetNanos = Long.MAX_VALUE;
  private long intervalNanos = Long.MAX_VALUE;
  private int ceiling = Integer.MAX_VALUE;
  private int limit = Integer.MAX_VALUE;

  /** Per operation: the fastest in this period and in the one before. */
  private final Map<String, long[]> fastest = new HashMap<>();

  private long periodStart;
  private long intervalStart;
  private long queuedNanos;
  private int samples;
  private boolean reached;

  QueueTime(int floor) {
    this.floor = Math.max(1, floor);
  }

  synchronized void configure(long targetMs, long intervalMs, int maxInFlight, long now) {
    if (targetMs < 0 || intervalMs < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException(
          "api.queueTargetMs must be at least 0, api.queueIntervalMs and api.maxInFlight at least 1");
    }
    targetNanos = targetMs * 1_000_000L;
    intervalNanos = intervalMs * 1_000_000L;
    ceiling = maxInFlight;
    limit = maxInFlight;
    periodStart = now;
    intervalStart = now;
  }

  /** Whether a request arriving now is admitted with {@code inFlight} (itself included). */
  synchronized boolean admits(int inFlight, long now) {
    advance(now);
    if (inFlight >= limit) {
      reached = true;
    }
    return inFlight <= limit;
  }

  /** An admitted request of {@code operation} (method and route) ended after {@code nanos}. */
  synchronized void ended(String operation, long nanos, long now) {
    advance(now);
    long[] best = fastest.computeIfAbsent(operation, k -> new long[] {nanos, nanos});
    best[0] = Math.min(best[0], nanos);
    queuedNanos += nanos - Math.min(best[0], best[1]);
    samples++;
  }

  synchronized int limit() {
    return limit;
  }

  /**
   * The limit times target / queued, but by a tenth at least and by half at most: just past the
   * target a small step, far past it (a sudden overload) half at once, so that a burst is shed
   * within a few intervals and not over seconds of requests queueing behind the ceiling.
   */
  private int shrunk(long queued) {
    double factor = Math.max(0.5, Math.min(0.9, (double) targetNanos / queued));
    return (int) (limit * factor);
  }

  private void advance(long now) {
    if (now - intervalStart < intervalNanos) {
      return;
    }
    if (reached) {
      long queued = samples > 0 ? queuedNanos / samples : 0;
      if (queued > targetNanos) {
        limit = Math.max(floor, Math.min(limit - 1, shrunk(queued)));
      } else {
        limit = Math.min(ceiling, limit + 1);
      }
    }
    intervalStart = now;
    queuedNanos = 0;
    samples = 0;
    reached = false;
    if (now - periodStart >= FORGET_NANOS) {
      for (long[] best : fastest.values()) {
        best[1] = best[0];
        best[0] = Long.MAX_VALUE;
      }
      periodStart = now;
    }
  }
}
