package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** What a client sees when the database is away or busy: a 503 to retry, never a 500. */
class DatabasesTest {

  @Test
  void aDatabaseThatIsDownIsA503() {
    for (Throwable down :
        new Throwable[] {
          new ConnectException("Connection refused"),
          ClosedConnectionException.INSTANCE,
          new io.vertx.pgclient.PgException(
              "terminating connection due to administrator command", "FATAL", "57P01", null)
        }) {
      Throwable seen = Databases.translate(down);
      assertTrue(seen instanceof ApiException, down + " became " + seen);
      assertEquals(503, ((ApiException) seen).status(), down.toString());
    }
  }

  @Test
  void aBusyPoolIsA503Busy() {
    ApiException busy =
        (ApiException) Databases.translate(new ConnectionPoolTooBusyException("full"));
    assertEquals(503, busy.status());
    assertEquals("busy", busy.slug());
  }

  @Test
  void aBugStaysA500() {
    IllegalStateException bug = new IllegalStateException("a bug");
    assertSame(bug, Databases.translate(bug));
  }
}
