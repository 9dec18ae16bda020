package io.taskbus.contracts;

import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * What the log says while a server taskbus depends on is away: one warning when it goes, one when
 * it is back with how long it was away and how many operations failed meanwhile, instead of a line
 * (or a stack trace) for every request or record that failed because of it. Safe from any thread.
 */
public final class Outage {

  private final Logger log;
  private final String server;
  private final String counted;

  /** When the outage began (epoch millis), 0 while the server is reachable. */
  private final AtomicLong since = new AtomicLong();

  private final AtomicLong failed = new AtomicLong();

  /**
   * @param server what is away, e.g. "PostgreSQL"
   * @param counted what the count in the closing line counts, e.g. "requests failed"
   */
  public Outage(Logger log, String server, String counted) {
    this.log = log;
    this.server = server;
    this.counted = counted;
  }

  /** An operation failed because the server is away; the first one of an outage is logged. */
  public void failed(Throwable cause) {
    failed(cause, 1);
  }

  /** {@code operations} failed (or wait) because the server is away. */
  public void failed(Throwable cause, long operations) {
    failed.addAndGet(operations);
    if (since.compareAndSet(0, System.currentTimeMillis())) {
      log.warn(
          "{} is unreachable ({}); failures are counted until it is back", server, describe(cause));
    }
  }

  /** An operation succeeded: if an outage was going on, it ended. */
  public void succeeded() {
    if (since.get() == 0) {
      return;
    }
    long began = since.getAndSet(0);
    if (began != 0) {
      log.warn(
          "{} is reachable again after {} s; {} {} meanwhile",
          server,
          Math.max(0, System.currentTimeMillis() - began) / 1000,
          failed.getAndSet(0),
          counted);
    }
  }

  public boolean ongoing() {
    return since.get() != 0;
  }

  /**
   * Reports how {@code operation} ends: a failure that says the server is away ({@link
   * Failures#unreachable}) counts towards the outage, a success ends it, any other failure is the
   * operation's own and says nothing about the server.
   */
  public <T> Future<T> watch(Future<T> operation) {
    return operation.onComplete(
        done -> {
          if (done.succeeded()) {
            succeeded();
          } else if (Failures.unreachable(done.cause())) {
            failed(done.cause());
          }
        });
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
