package io.taskbus.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The stall rule, on a clock the test moves. */
class SubscriptionHealthTest {

  private static final long STALL_AFTER = 60_000;

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final TopicPartition p0 = new TopicPartition("task-events", 0);
  private final TopicPartition p1 = new TopicPartition("task-events", 1);
  private final SubscriptionHealth health =
      new SubscriptionHealth("taskbus-audit", "task-events", "ack", STALL_AFTER, clock::get);

  private void pass(long ms) {
    clock.addAndGet(ms);
  }

  @Test
  void anIdleSubscriptionIsNeverStalled() {
    health.measured(Map.of(p0, 0L, p1, 0L));
    pass(10 * STALL_AFTER);
    health.measured(Map.of(p0, 0L, p1, 0L));
    assertEquals(List.of(), health.stalled());
    assertNull(health.problem());
    assertFalse(health.detail(0).getBoolean("stalled"));
  }

  @Test
  void recordsWaitingWithoutProgressStallAfterTheLimitNotBefore() {
    health.measured(Map.of(p0, 0L, p1, 0L));
    pass(10 * STALL_AFTER); // a long idle time before records come does not count
    health.measured(Map.of(p0, 3L, p1, 0L));
    pass(STALL_AFTER);
    assertEquals(List.of(), health.stalled(), "exactly the limit is not beyond it");
    pass(1);
    health.measured(Map.of(p0, 3L, p1, 0L));
    assertEquals(List.of(0), health.stalled());
    String problem = health.problem();
    assertTrue(problem.contains("taskbus-audit") && problem.contains("[0]"), problem);
    JsonObject detail = health.detail(3);
    assertTrue(detail.getBoolean("stalled"));
    assertEquals(new JsonArray().add(0), detail.getJsonArray("stalledPartitions"));
    assertEquals(3, detail.getLong("lag"));
    assertEquals(3, detail.getInteger("parked"));
    assertNull(detail.getString("lastProgressAt"), "nothing was ever committed");
  }

  @Test
  void progressEndsTheStallAndOnlyANewMeasurementStartsAnother() {
    health.measured(Map.of(p0, 5L));
    pass(STALL_AFTER + 1);
    assertEquals(List.of(0), health.stalled());
    health.progressed(p0);
    assertEquals(List.of(), health.stalled(), "progress ends the stall at once");
    pass(STALL_AFTER + 1);
    assertEquals(
        List.of(), health.stalled(), "the lag measured before the commit says nothing after it");
    health.measured(Map.of(p0, 2L)); // still behind
    pass(STALL_AFTER / 2);
    health.progressed(p0); // but moving
    health.measured(Map.of(p0, 1L));
    pass(STALL_AFTER / 2);
    health.progressed(p0);
    health.measured(Map.of(p0, 0L));
    long lastProgress = clock.get();
    pass(10 * STALL_AFTER);
    health.measured(Map.of(p0, 0L));
    assertEquals(List.of(), health.stalled());
    assertEquals(
        java.time.Instant.ofEpochMilli(lastProgress).toString(),
        health.detail(0).getString("lastProgressAt"));
  }

  @Test
  void aSubscriptionThatNeverStallsReportsItsLagOnly() {
    SubscriptionHealth live =
        new SubscriptionHealth(
            "taskbus-live", "task-events", "publish", SubscriptionHealth.NEVER, clock::get);
    live.measured(Map.of(p0, 7L));
    pass(10 * STALL_AFTER);
    assertEquals(List.of(), live.stalled());
    assertEquals(7, live.detail(0).getLong("lag"));
  }

  @Test
  void aRecordParkedAtOnePartitionsHeadStallsItWhileTheOthersMoveOn() {
    health.measured(Map.of(p0, 1L, p1, 4L));
    for (int i = 0; i < 7; i++) {
      pass(STALL_AFTER / 6);
      health.progressed(p1);
      health.measured(Map.of(p0, 1L, p1, 4L));
    }
    assertEquals(List.of(0), health.stalled());
    assertTrue(health.detail(1).getBoolean("stalled"));
  }

  @Test
  void partitionsTakenAwayAreForgotten() {
    health.measured(Map.of(p0, 1L, p1, 1L));
    pass(STALL_AFTER + 1);
    assertEquals(List.of(0, 1), health.stalled());
    health.measured(Map.of(p1, 1L)); // p0 went to another member
    assertEquals(List.of(1), health.stalled());
    assertEquals(new JsonArray().add(1), health.detail(0).getJsonArray("partitions"));
  }

  @Test
  void theRelaysBatchStallsOnlyWhileItIsOut() {
    ProgressWatch sending = new ProgressWatch(10_000, clock::get);
    pass(60_000);
    assertFalse(sending.stalled(), "no batch out");
    sending.waiting(true);
    pass(10_001);
    assertTrue(sending.stalled());
    sending.progressed();
    sending.waiting(false);
    assertFalse(sending.stalled());
    assertEquals(clock.get(), sending.lastProgressAt());
    assertEquals(0, sending.waitedMs());
  }
}
