package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QueueDelayTest {

  private static final long MS = 1_000_000L;
  private static final int CONNECTIONS = 16;

  private static QueueDelay queue() {
    QueueDelay queue = new QueueDelay();
    queue.configure(5, 100);
    return queue;
  }

  @Test
  void aBurstThatDrainsWithinTheIntervalIsAdmittedWhole() {
    QueueDelay queue = queue();
    queue.waited(40 * MS, 0);
    queue.waited(30 * MS, 60 * MS);
    queue.waited(1 * MS, 90 * MS);
    queue.waited(40 * MS, 120 * MS);
    queue.waited(40 * MS, 200 * MS);
    assertFalse(queue.standing(), "waits above the target for less than an interval at a time");
    assertFalse(queue.refuses(32, CONNECTIONS, 200 * MS));
  }

  @Test
  void waitsAboveTheTargetForAnIntervalRefuseWhatFindsNoFreeConnection() {
    QueueDelay queue = queue();
    for (long t = 0; t <= 100; t += 10) {
      queue.waited(20 * MS, t * MS);
    }
    assertTrue(queue.standing());
    assertTrue(queue.refuses(CONNECTIONS + 1, CONNECTIONS, 101 * MS), "it would have to queue");
    assertFalse(queue.refuses(CONNECTIONS, CONNECTIONS, 102 * MS), "a connection is free for it");
    assertTrue(queue.standing(), "a refusal happened within the interval");
  }

  @Test
  void theQueueEndsAfterAnIntervalWithoutARefusal() {
    QueueDelay queue = queue();
    queue.waited(20 * MS, 0);
    queue.waited(20 * MS, 100 * MS);
    assertTrue(queue.refuses(20, CONNECTIONS, 150 * MS));
    assertFalse(queue.refuses(3, CONNECTIONS, 249 * MS));
    assertTrue(queue.standing(), "99 ms since the last refusal");
    assertFalse(queue.refuses(3, CONNECTIONS, 250 * MS));
    assertFalse(queue.standing(), "demand fits in the pool again");
    assertFalse(queue.refuses(20, CONNECTIONS, 251 * MS), "a burst is admitted again");
  }

  @Test
  void unconfiguredItNeverStands() {
    QueueDelay queue = new QueueDelay();
    for (long t = 0; t <= 10_000; t += 100) {
      queue.waited(10_000 * MS, t * MS);
    }
    assertFalse(queue.refuses(1_000, CONNECTIONS, 10_001 * MS));
  }
}
