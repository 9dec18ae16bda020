package io.taskbus.kafka;

import io.taskbus.contracts.Failures;

/**
 * What an ack subscription does with a record its consumer did not acknowledge. A failure that
 * passes (no consumer listening, none answering in time, or one that answers {@code UNAVAILABLE}:
 * see {@link Failures}) makes the record wait, with a growing pause, for as long as it takes: it is
 * not the record's fault, and dead-lettering it would lose a next occurrence or a reminder to an
 * outage. Any other failure is the record's own: it is tried again {@code backoffMs}, then twice as
 * long, and so on, and after {@code maxAttempts} it goes to the dead-letter topic.
 */
record Redelivery(int maxAttempts, long backoffMs) {

  /** The longest pause between two tries of one record. */
  static final long MAX_PAUSE_MS = 10_000;

  /** What comes next for a record. */
  sealed interface Next permits Wait, Retry, DeadLetter {}

  /** Try again after {@code pauseMs}; the {@code waits}-th wait, which counts no attempt. */
  record Wait(long pauseMs, int waits) implements Next {}

  /** Try again after {@code pauseMs} as attempt {@code attempt}. */
  record Retry(long pauseMs, int attempt) implements Next {}

  /** Give up: to the dead-letter topic with the error, after {@code attempts} attempts. */
  record DeadLetter(int attempts) implements Next {}

  /**
   * @param attempt the attempt that failed (the first is 1)
   * @param waits how often the record waited already
   */
  Next afterFailure(Throwable failure, int attempt, int waits) {
    if (Failures.passing(failure)) {
      return new Wait(Math.min(backoffMs << Math.min(waits, 6), MAX_PAUSE_MS), waits + 1);
    }
    if (attempt >= maxAttempts) {
      return new DeadLetter(attempt);
    }
    return new Retry(Math.min(backoffMs << (attempt - 1), MAX_PAUSE_MS), attempt + 1);
  }
}
