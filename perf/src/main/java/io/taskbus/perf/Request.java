package io.taskbus.perf;

import io.vertx.core.Future;

/** Request number {@code n} of a load phase; its future always succeeds (an error is an outcome). */
@FunctionalInterface
interface Request {

  Future<Api.Outcome> send(long n);

  /** What to do with each answer besides timing it (the create scenario awaits its event). */
  @FunctionalInterface
  interface Answered {
    void answered(long n, Api.Outcome outcome, long atNanos, Phase phase);

    Answered NOTHING = (n, outcome, at, phase) -> { };
  }
}
