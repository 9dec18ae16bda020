package io.taskbus.api;

import io.taskbus.contracts.Envelope;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/** Maps infrastructure failures to what a client should see: busy or unavailable is a 503. */
final class Databases {

  static Throwable translate(Throwable failure) {
    if (failure instanceof ApiException) {
      return failure;
    }
    String name = failure.getClass().getSimpleName();
    if (name.contains("TooBusy") || name.contains("NoStackTraceTimeoutException")) {
      return new PoolBusyException(failure);
    }
    if (failure instanceof ReplyException reply
        && (reply.failureType() != ReplyFailure.RECIPIENT_FAILURE
            || reply.failureCode() == Envelope.UNAVAILABLE)) {
      return new ApiException(503, "unavailable", "Service Unavailable",
          "A backing service is not reachable; retry shortly");
    }
    return failure;
  }

  private Databases() {}
}
