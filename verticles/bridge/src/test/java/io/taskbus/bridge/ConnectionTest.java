package io.taskbus.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionTest {

  @Test
  void framesAreWrittenUntilWhatTheSocketHasNotTakenReachesTheLimit() {
    Connection connection = new Connection("alice", null, 20, 40);
    assertTrue(connection.queue(600, 1_000));
    connection.sent(600);
    // taken by the socket: it counts no more
    assertTrue(connection.queue(900, 1_000));
    // below the limit, one more frame goes, even one that passes it
    assertTrue(connection.queue(900, 1_000));
    assertEquals(1_800, connection.unsentBytes());
    assertFalse(connection.queue(1, 1_000));
    assertTrue(connection.tooSlow());
  }

  @Test
  void aConnectionFoundTooSlowStaysSoWhenItsSocketCatchesUp() {
    Connection connection = new Connection("alice", null, 20, 40);
    assertTrue(connection.queue(1_000, 1_000));
    assertFalse(connection.queue(10, 1_000));
    connection.sent(1_000);
    // it is being closed: nothing more is written to it
    assertFalse(connection.queue(10, 1_000));
  }
}
