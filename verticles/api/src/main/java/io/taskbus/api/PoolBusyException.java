package io.taskbus.api;

/** The database pool's wait queue is full: the caller gets 503 instead of waiting without bound. */
final class PoolBusyException extends RuntimeException {
  PoolBusyException(Throwable cause) {
    super(cause.getMessage(), cause, false, false);
  }
}
