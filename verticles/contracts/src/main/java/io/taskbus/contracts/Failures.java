package io.taskbus.contracts;

import com.fasterxml.jackson.core.JacksonException;
import io.vertx.core.VertxException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure that passes (what the work needs is away or busy: the same work succeeds later)
 * from one that is the work's own (bad data, a bug: it fails the same way every time). Every
 * consumer of an ack subscription answers {@link Envelope#UNAVAILABLE} for the first, so its record
 * waits without counting towards the dead-letter topic, and {@link Envelope#REFUSED} for the
 * second, so the record is retried a few times, then dead-lettered with its error, and the stream
 * goes on. The API answers the first with 503 and {@code Retry-After}.
 */
public final class Failures {

  /**
   * SQLSTATEs that pass: connection exceptions (class 08), insufficient resources (53), the server
   * shutting down or starting (57P01-57P03), serialization failures and deadlocks (40001, 40P01), a
   * lock not available (55P03), a statement cancelled by a timeout (57014).
   */
  private static final Set<String> PASSING_STATES =
      Set.of("57P01", "57P02", "57P03", "40001", "40P01", "55P03", "57014");

  /** The pool had no connection in time, or its wait queue is full. */
  public static boolean poolBusy(Throwable failure) {
    return failure instanceof ConnectionPoolTooBusyException
        || failure instanceof TimeoutException
        // vertx-sql-client 5.0 fails a request that waited pg.connectionTimeoutMs for a connection
        // with a bare "Timeout" of no type of its own (SqlConnectionPool), and one that waited for
        // a connection being opened (the server out of reach: a network partition) with this
        // VertxException: both pass, or a worker cut off from its database refused its records
        || (failure instanceof NoStackTraceThrowable && "Timeout".equals(failure.getMessage()))
        || (failure instanceof VertxException
            && "Timeout waiting for connection".equals(failure.getMessage()));
  }

  /**
   * The first throwable of {@code failure}'s cause chain that is one of {@code types}, or null:
   * clients wrap what failed (Kafka's in a CompletionException or a KafkaException).
   */
  public static Throwable causeOf(Throwable failure, Class<?>... types) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      for (Class<?> type : types) {
        if (type.isInstance(t)) {
          return t;
        }
      }
    }
    return null;
  }

  /** True when the same work can succeed later with nothing about it changed. */
  public static boolean passing(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JacksonException) {
        return false; // JSON that cannot be read: an IOException by type, the data's by nature
      }
      if (poolBusy(t) || t instanceof ClosedConnectionException || t instanceof IOException) {
        return true;
      }
      if (t instanceof DatabaseException db && passingState(db.getSqlState())) {
        return true;
      }
      if (t instanceof ReplyException reply
          && (reply.failureType() != ReplyFailure.RECIPIENT_FAILURE
              || reply.failureCode() == Envelope.UNAVAILABLE)) {
        return true; // nobody listens, no answer in time, or the other side says it is away
      }
    }
    return false;
  }

  /**
   * True when the failure says the server itself is away (no connection, the connection lost, the
   * server shutting down or starting), not that it is busy or that the work was refused: what an
   * {@link Outage} counts.
   */
  public static boolean unreachable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JacksonException) {
        return false;
      }
      if (t instanceof ClosedConnectionException || t instanceof IOException) {
        return true;
      }
      if (t instanceof DatabaseException db
          && db.getSqlState() != null
          && (db.getSqlState().startsWith("08") || db.getSqlState().startsWith("57P0"))) {
        return true;
      }
    }
    return false;
  }

  /** What a consumer of an ack subscription answers for this failure. */
  public static int replyCode(Throwable failure) {
    return passing(failure) ? Envelope.UNAVAILABLE : Envelope.REFUSED;
  }

  private static boolean passingState(String state) {
    return state != null
        && (state.startsWith("08") || state.startsWith("53") || PASSING_STATES.contains(state));
  }

  private Failures() {}
}
