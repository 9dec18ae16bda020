package io.taskbus.kafka;

import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The stall rule of the relay and of each partition a subscription holds: work seen waiting that
 * has made no progress for longer than the limit is stalled. Progress ends the wait; whether work
 * still waits is for the next observation to say (a lag measured before a commit is stale after
 * it). So nothing waiting (an idle subscription, a relay between batches) is never stalled, and a
 * long idle time before work arrives does not count.
 */
final class ProgressWatch {

  private final long limitMs;
  private final LongSupplier clock;

  /** Since when work waits with no progress since; 0: nothing waits. */
  private volatile long waitingSince;

  /** 0: no progress yet. */
  private volatile long lastProgressAt;

  ProgressWatch(long limitMs, LongSupplier clock) {
    this.limitMs = limitMs;
    this.clock = clock;
  }

  /** Whether work waits now (records past the committed offset, a batch out). */
  void waiting(boolean waiting) {
    if (!waiting) {
      waitingSince = 0;
    } else if (waitingSince == 0) {
      waitingSince = clock.getAsLong();
    }
  }

  /** Some work was done (offsets committed, a batch acknowledged): the wait ends. */
  void progressed() {
    lastProgressAt = clock.getAsLong();
    waitingSince = 0;
  }

  boolean stalled() {
    return waitedMs() > limitMs;
  }

  /** How long work has waited with no progress; 0 when nothing waits. */
  long waitedMs() {
    long since = waitingSince;
    return since == 0 ? 0 : clock.getAsLong() - since;
  }

  /** When work was last done, in epoch milliseconds; 0 when never. */
  long lastProgressAt() {
    return lastProgressAt;
  }

  /** A time of this watch for {@code /health}: ISO-8601, or null for 0 (never). */
  static String time(long epochMs) {
    return epochMs == 0 ? null : Instant.ofEpochMilli(epochMs).toString();
  }
}
