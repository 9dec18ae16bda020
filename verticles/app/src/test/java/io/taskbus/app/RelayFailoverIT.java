package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The relay is killed (SIGKILL) while 1 000 tasks are being created, and another one starts: every
 * committed task's event reaches Kafka, and each user's events are in order.
 */
class RelayFailoverIT {

  static final int TASKS = 1000;
  static final int USERS = 10;

  @Test
  void killedRelayLosesNothingAndKeepsPerUserOrder() throws Exception {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      users.add(TestSystem.uniqueUser("relay" + i));
    }
    Map<String, String> relayOnly = Map.of("TASKBUS_VERTICLES", "kafka");
    try (TestSystem api = TestSystem.start("api");
        ChildProcess firstRelay = ChildProcess.start("relay-1", relayOnly)) {
      Set<String> created = api.createConcurrently(users, TASKS, firstRelay::crash);
      assertEquals(TASKS, created.size(), "every create should have been committed");
      assertTrue(
          TestSystem.count("SELECT count(*) FROM outbox") > 0,
          "with the relay dead, events must be waiting in the outbox");

      try (ChildProcess secondRelay = ChildProcess.start("relay-2", relayOnly);
          EventLog kafka = new EventLog()) {
        Set<String> userSet = new HashSet<>(users);
        List<ConsumerRecord<String, String>> records =
            kafka.readUntil(
                Duration.ofSeconds(60), rs -> subjects(rs, userSet).containsAll(created));
        Set<String> subjects = subjects(records, userSet);
        assertEquals(created, subjects, "every committed task's event is in Kafka");
        Set<String> eventIds = new HashSet<>();
        for (String user : users) {
          long lastSeq = 0;
          for (JsonObject event : kafka.eventsOfUser(user)) {
            long seq = event.getLong("seq");
            if (eventIds.add(event.getString("id"))) {
              assertTrue(
                  seq > lastSeq,
                  "events of " + user + " out of order: " + seq + " after " + lastSeq);
              lastSeq = seq;
            }
          }
        }
        assertEquals(TASKS, eventIds.size(), "distinct event ids = committed tasks");
      }
    }
  }

  /**
   * A backlog makes the relay stop listening and read batch after batch; once it is empty the relay
   * listens again, so a later create goes out at once. The fallback poll is an hour away here: an
   * event that waited for it would fail the test.
   */
  @Test
  void afterABacklogTheRelayListensAgain() throws Exception {
    String user = TestSystem.uniqueUser("backlog");
    Set<String> created = new HashSet<>();
    try (TestSystem api = TestSystem.start("api")) {
      for (int i = 0; i < 50; i++) {
        created.add(api.createTask(user, "backlog " + i).getString("id"));
      }
      Map<String, String> relay =
          Map.of("TASKBUS_RELAY_POLLINTERVALMS", "3600000", "TASKBUS_RELAY_BATCHSIZE", "10");
      // the relay makes the topic: the log is read from its beginning once it exists
      try (TestSystem relaying = TestSystem.start("kafka", relay);
          EventLog kafka = new EventLog()) {
        Set<String> users = Set.of(user);
        kafka.readUntil(Duration.ofSeconds(30), rs -> subjects(rs, users).containsAll(created));
        assertTrue(subjects(kafka.records, users).containsAll(created), "the backlog went out");

        String later = api.createTask(user, "after the backlog").getString("id");
        kafka.readUntil(Duration.ofSeconds(10), rs -> subjects(rs, users).contains(later));
        assertTrue(
            subjects(kafka.records, users).contains(later),
            "a create after the backlog should go out on its notification, not wait for the poll");
      }
    }
  }

  private static Set<String> subjects(
      List<ConsumerRecord<String, String>> records, Set<String> users) {
    Set<String> subjects = new HashSet<>();
    for (ConsumerRecord<String, String> r : records) {
      if (users.contains(r.key())) {
        subjects.add(new JsonObject(r.value()).getString("subject"));
      }
    }
    return subjects;
  }
}
