package io.taskbus.api;

import io.taskbus.contracts.Failures;

/**
 * Maps infrastructure failures to what a client should see: a busy pool, or a database or backing
 * service that is away for now, is a 503 with {@code Retry-After}, never a 500.
 */
final class Databases {

  static Throwable translate(Throwable failure) {
    if (failure instanceof ApiException) {
      return failure;
    }
    if (Failures.poolBusy(failure)) {
      return new ApiException(
          503, "busy", "Service Unavailable", "The database is busy; retry shortly");
    }
    if (Failures.passing(failure)) {
      return new ApiException(
          503,
          "unavailable",
          "Service Unavailable",
          "A backing service is not reachable; retry shortly");
    }
    return failure;
  }

  private Databases() {}
}
