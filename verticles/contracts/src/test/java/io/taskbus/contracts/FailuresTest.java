package io.taskbus.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import java.net.ConnectException;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  /** What the PostgreSQL client throws for an error the server sent, with its SQLSTATE. */
  private static DatabaseException database(String sqlState) {
    return new DatabaseException("server says " + sqlState, 0, sqlState) {};
  }

  @Test
  void whatIsAwayOrBusyPasses() {
    for (Throwable passing :
        new Throwable[] {
          new ConnectException("Connection refused"),
          ClosedConnectionException.INSTANCE,
          new ConnectionPoolTooBusyException("queue full"),
          new TimeoutException("no connection in 5000 ms"),
          new NoStackTraceThrowable("Timeout"), // what the SQL pool fails a waiter with
          // ... and one waiting for a connection being opened to a server out of reach
          new io.vertx.core.VertxException("Timeout waiting for connection", true),
          database("08006"),
          database("57P01"),
          database("53300"),
          database("40001"),
          database("40P01"),
          new ReplyException(ReplyFailure.NO_HANDLERS, "nobody listens"),
          new ReplyException(ReplyFailure.TIMEOUT, "no answer"),
          new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Envelope.UNAVAILABLE, "away"),
          new RuntimeException("wrapped", new ConnectException("Connection refused"))
        }) {
      assertTrue(Failures.passing(passing), passing.toString());
      assertEquals(Envelope.UNAVAILABLE, Failures.replyCode(passing), passing.toString());
    }
  }

  /** An outage is the server away, not the server busy or the work refused. */
  @Test
  void onlyAServerAwayIsUnreachable() {
    for (Throwable away :
        new Throwable[] {
          new ConnectException("Connection refused"),
          ClosedConnectionException.INSTANCE,
          database("08006"),
          database("57P01"),
          new RuntimeException("wrapped", new ConnectException("Connection refused"))
        }) {
      assertTrue(Failures.unreachable(away), away.toString());
    }
    for (Throwable other :
        new Throwable[] {
          new ConnectionPoolTooBusyException("queue full"),
          new TimeoutException("no connection in 5000 ms"),
          database("53300"),
          database("40001"),
          database("23502"),
          new ReplyException(ReplyFailure.NO_HANDLERS, "nobody listens"),
          decodeFailure()
        }) {
      assertFalse(Failures.unreachable(other), other.toString());
    }
  }

  @Test
  void whatIsTheRecordsOwnFaultIsRefused() {
    for (Throwable own :
        new Throwable[] {
          new IllegalArgumentException("no next occurrence: FREQ=SOMETIMES"),
          new DateTimeParseException("bad time", "soon", 0),
          new NullPointerException(),
          database("22P02"),
          database("23502"),
          database("42703"),
          new ReplyException(ReplyFailure.RECIPIENT_FAILURE, Envelope.REFUSED, "bad command"),
          // what Vert.x throws for JSON it cannot read: its cause is an IOException by type
          decodeFailure()
        }) {
      assertFalse(Failures.passing(own), own.toString());
      assertEquals(Envelope.REFUSED, Failures.replyCode(own), own.toString());
    }
  }

  private static Throwable decodeFailure() {
    try {
      new io.vertx.core.json.JsonObject("{\"title\": ");
      throw new AssertionError("parsed");
    } catch (io.vertx.core.json.DecodeException e) {
      return e;
    }
  }

  @Test
  void onlyTheConnectionPoolsOwnRefusalsAreBusy() {
    assertTrue(Failures.poolBusy(new ConnectionPoolTooBusyException("queue full")));
    assertTrue(Failures.poolBusy(new TimeoutException("waited")));
    assertFalse(Failures.poolBusy(new ConnectException("refused")));
  }
}
