package io.taskbus.perf;

import io.vertx.core.Future;

/** Request number {@code n} of a load phase; its future always succeeds (an error is an outcome). */
@FunctionalInterface
interface Request {

  Future<Api.Outcome> send(long n);

  /** What to do with each answer besides timing it (the create scenario awaits its event). */
  @FunctionalInterface
  interface Answered {
    /**
     * @param atNanos when the answer arrived
     * @param latencyNanos what the phase recorded for it (open model: from the scheduled time)
     */
    void answered(long n, Api.Outcome outcome, long atNanos, long latencyNanos, Phase phase);

    Answered NOTHING = (n, outcome, at, latency, phase) -> { };
  }
}
