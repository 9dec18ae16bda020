package io.taskbus.api;

/**
 * Tells a standing queue from a burst by how long requests wait for a database connection, the way
 * CoDel tells them apart in a router: waits above {@code api.queueTargetMs} for a whole {@code
 * api.queueIntervalMs} mean more arrives than the pool serves, and the queue will not drain by
 * itself. While the queue stands, {@link Admission} admits a request only if a connection is free
 * for it, so an admitted request's latency stays its own work, not the wait behind others
 * (perf/README.md, the overload scenario). A burst that drains within the interval is admitted
 * whole. The queue counts as gone once an interval passes without a refusal: what arrives then fits
 * in the pool.
 *
 * <p>One per process, like the pool it watches: every {@link UserDb} reports to {@link #PROCESS}.
 * Times are {@link System#nanoTime()} values, passed in so that tests choose them.
 */
final class QueueDelay {

  static final QueueDelay PROCESS = new QueueDelay();

  /** Until configured, never standing: a pool used outside the api's routes sheds nothing. */
  private long targetNanos = Long.MAX_VALUE;

  private long intervalNanos = Long.MAX_VALUE;
  private boolean aboveTarget;
  private long aboveSince;
  private boolean standing;
  private long lastRefusal;

  synchronized void configure(long targetMs, long intervalMs) {
    if (targetMs < 0 || intervalMs < 1) {
      throw new IllegalArgumentException(
          "api.queueTargetMs must be at least 0 and api.queueIntervalMs at least 1");
    }
    targetNanos = targetMs * 1_000_000L;
    intervalNanos = intervalMs * 1_000_000L;
  }

  /** A request got its connection after waiting {@code waitNanos}. */
  synchronized void waited(long waitNanos, long now) {
    if (waitNanos <= targetNanos) {
      aboveTarget = false;
      return;
    }
    if (!aboveTarget) {
      aboveTarget = true;
      aboveSince = now;
    } else if (!standing && now - aboveSince >= intervalNanos) {
      standing = true;
      lastRefusal = now;
    }
  }

  /**
   * Whether a request arriving now, with {@code inFlight} requests (itself included) under way and
   * {@code connections} in the pool, is refused.
   */
  synchronized boolean refuses(int inFlight, int connections, long now) {
    if (!standing) {
      return false;
    }
    if (inFlight <= connections) {
      if (now - lastRefusal >= intervalNanos) {
        standing = false;
        aboveTarget = false;
      }
      return false;
    }
    lastRefusal = now;
    return true;
  }

  synchronized boolean standing() {
    return standing;
  }
}
