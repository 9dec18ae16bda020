package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class QueueTimeTest {

  private static final long MS = 1_000_000L;

  /** Target 5 ms, interval 100 ms, at most 32, at least 2. */
  private static QueueTime queue() {
    QueueTime queue = new QueueTime(2);
    queue.configure(5, 100, 32, 0);
    return queue;
  }

  @Test
  void requestsThatQueueFarBeyondTheTargetHalveTheLimitDownToTheCores() {
    QueueTime queue = queue();
    long t = 0;
    queue.ended("POST /api/v1/tasks", 3 * MS, t);
    for (int interval = 1; interval <= 60; interval++) {
      t = interval * 100 * MS;
      queue.ended("POST /api/v1/tasks", 40 * MS, t - MS);
      queue.admits(queue.limit(), t - MS);
      queue.admits(1, t);
      if (interval == 1) {
        assertEquals(16, queue.limit(), "37 ms queued against a target of 5: half at once");
      }
      if (interval == 4) {
        assertEquals(2, queue.limit(), "a sudden overload is shed in four intervals");
      }
    }
    assertEquals(2, queue.limit(), "never below the cores");
    assertTrue(queue.admits(2, t));
    assertFalse(queue.admits(3, t), "a third request would only wait for a core");
  }

  @Test
  void requestsJustPastTheTargetShrinkTheLimitByATenthOrInProportion() {
    QueueTime queue = queue();
    long t = 0;
    queue.ended("POST /api/v1/tasks", 3 * MS, t);
    t += 100 * MS;
    queue.admits(1, t); // an interval that did not reach the limit: the fastest is known
    t += 100 * MS;
    queue.ended("POST /api/v1/tasks", 8 * MS + MS / 2, t - MS);
    queue.admits(queue.limit(), t - MS);
    queue.admits(1, t);
    assertEquals(
        28, queue.limit(), "5.5 ms queued: 32 less a tenth, at least (28.8, rounded down)");
    t += 100 * MS;
    queue.ended("POST /api/v1/tasks", 10 * MS + MS / 2, t - MS);
    queue.admits(queue.limit(), t - MS);
    queue.admits(1, t);
    assertEquals(18, queue.limit(), "7.5 ms queued: 28 times 5 / 7.5");
  }

  @Test
  void aLimitReachedWithoutQueueingGrowsByOneAnIntervalUpToMaxInFlight() {
    QueueTime queue = queue();
    long t = 0;
    queue.ended("POST /api/v1/tasks", 3 * MS, t);
    for (int i = 0; i < 30; i++) {
      queue.ended("POST /api/v1/tasks", 40 * MS, t);
      queue.admits(queue.limit(), t);
      t += 100 * MS;
      queue.admits(1, t);
    }
    assertEquals(2, queue.limit());
    for (int interval = 0; interval < 40; interval++) {
      queue.ended("POST /api/v1/tasks", 3 * MS, t + MS);
      queue.admits(queue.limit(), t + 2 * MS);
      t += 100 * MS;
      if (interval == 0) {
        queue.admits(1, t);
        assertEquals(3, queue.limit(), "reached, and 0 ms of queueing");
      }
    }
    queue.admits(1, t);
    assertEquals(32, queue.limit(), "api.maxInFlight at most");
  }

  @Test
  void anOperationSlowerThanOthersIsNotQueueing() {
    QueueTime queue = queue();
    long t = 0;
    for (int interval = 0; interval < 20; interval++) {
      queue.ended("POST /api/v1/tasks", 2 * MS, t + MS);
      queue.ended("GET /api/v1/tasks", 30 * MS, t + 2 * MS);
      queue.admits(32, t + 3 * MS);
      t += 100 * MS;
    }
    queue.admits(1, t);
    assertEquals(32, queue.limit(), "a search takes 30 ms every time: nothing waited");
  }

  @Test
  void waitingBelowTheLimitIsNotOursToCure() {
    QueueTime queue = queue();
    long t = 0;
    queue.ended("POST /api/v1/tasks", 3 * MS, t);
    for (int interval = 0; interval < 20; interval++) {
      queue.ended("POST /api/v1/tasks", 80 * MS, t + MS);
      queue.admits(4, t + 2 * MS);
      t += 100 * MS;
    }
    queue.admits(1, t);
    assertEquals(32, queue.limit(), "four at once on a slow machine: refusing some cures nothing");
  }

  @Test
  void unconfiguredItAdmitsEverything() {
    QueueTime queue = new QueueTime(2);
    for (long t = 0; t <= 10_000; t += 100) {
      queue.ended("POST /api/v1/tasks", 10_000 * MS, t * MS);
    }
    assertTrue(queue.admits(100_000, 10_001 * MS));
  }
}
