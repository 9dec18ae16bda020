package io.taskbus.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.kafka.client.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  private final TopicPartition p0 = new TopicPartition("t", 0);
  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void commitsOnlyPastRecordsThatAreDone() {
    for (long o = 10; o < 15; o++) {
      tracker.received(p0, o);
    }
    tracker.done(p0, 11);
    tracker.done(p0, 12);
    assertEquals(
        10,
        tracker.committable().get(p0).getOffset(),
        "10 is still in flight: the committed position may not pass it");
    tracker.done(p0, 10);
    assertEquals(13, tracker.committable().get(p0).getOffset());
    assertTrue(tracker.committable().isEmpty(), "nothing new since the last commit");
    tracker.done(p0, 13);
    tracker.done(p0, 14);
    assertEquals(15, tracker.committable().get(p0).getOffset());
  }

  @Test
  void failedCommitIsOfferedAgain() {
    tracker.received(p0, 0);
    tracker.done(p0, 0);
    var offsets = tracker.committable();
    tracker.uncommit(offsets);
    assertEquals(1, tracker.committable().get(p0).getOffset());
  }

  @Test
  void forgottenPartitionIgnoresLateAcks() {
    tracker.received(p0, 5);
    tracker.forget(p0);
    tracker.done(p0, 5);
    assertTrue(tracker.committable().isEmpty());
  }
}
