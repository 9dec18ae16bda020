package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.Envelope;
import io.taskbus.contracts.Event;
import io.taskbus.contracts.EventTypes;
import io.taskbus.contracts.Topics;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Events reach their consumers through members that hold back, and through outages. */
class DurableDeliveryIT {

  private static final int SERIES = 80;

  /**
   * A process with the kafka role but no recurrence consumer anywhere holds the completions it
   * reads (nobody answers them yet): more than its in-flight bound, so some wait in it. A second
   * process with a recurrence consumer joins the group: the rebalance must not wait for the first
   * (a member that stops polling cannot rejoin), so the second gets its share at once, and all of
   * it once the first stops.
   */
  @Test
  void aMemberThatHoldsRecordsBackDoesNotStallItsGroup() throws Exception {
    List<String> users = new ArrayList<>();
    List<String> ids = recurringTasks("held", users);
    TestSystem first = TestSystem.start("api,kafka,audit");
    TestSystem second = null;
    try {
      Offers offers = Offers.watch(first);
      for (int i = 0; i < SERIES; i++) {
        var completed =
            first.call("POST", "/api/v1/tasks/" + ids.get(i) + "/complete", users.get(i), null);
        assertEquals(200, completed.statusCode(), completed.body());
      }
      // the first has read the completions and handed on as many as its in-flight bound allows,
      // to a recurrence consumer nobody runs: it holds those, and the rest wait in it
      int bound = Math.min(SERIES, setting(first, "maxInFlight", 1000));
      long held =
          TestSystem.eventually(
              Duration.ofSeconds(30), () -> offers.events(users, 1), n -> n >= bound);
      assertEquals(bound, held, "completions handed on while nobody takes them");
      assertEquals(0, openTasks(users), "no recurrence consumer yet, so no next occurrence");

      second = TestSystem.start("api,recurrence,kafka");
      long whileHeld =
          TestSystem.eventually(Duration.ofSeconds(20), () -> openTasks(users), n -> n > 0);
      assertTrue(whileHeld > 0, "the joining member got partitions while the other held back");

      first.close();
      first = null;
      long all =
          TestSystem.eventually(Duration.ofSeconds(30), () -> openTasks(users), n -> n >= SERIES);
      assertEquals(SERIES, all, "every series has its next occurrence once the holder left");
      awaitCompletionsHandled(users);
      assertEquals(SERIES, openTasks(users), "and only one");
    } finally {
      if (first != null) {
        first.close();
      }
      if (second != null) {
        second.close();
      }
    }
  }

  /**
   * The recurrence consumer runs where no API does: it cannot create the next occurrence and
   * answers 503. The completion must wait for the API (here: a later process with both), not go to
   * the dead-letter topic as if the record were bad: it is offered again and again, more often than
   * a failing record is before it is dead-lettered, and its offset is not committed.
   */
  @Test
  void aCompletionWaitsWhileTheApiIsAwayAndIsNotDeadLettered() throws Exception {
    List<String> users = new ArrayList<>();
    List<String> ids = recurringTasks("away", users);
    try (TestSystem completer = TestSystem.start("api")) {
      for (int i = 0; i < ids.size(); i++) {
        var completed =
            completer.call("POST", "/api/v1/tasks/" + ids.get(i) + "/complete", users.get(i), null);
        assertEquals(200, completed.statusCode(), completed.body());
      }
    }
    // pauses from 50 ms (200 by default): the offers this test waits for come four times sooner
    try (TestSystem withoutApi =
        TestSystem.start(
            "recurrence,kafka", Map.of("TASKBUS_KAFKA_SUBSCRIPTIONDEFAULTS_BACKOFFMS", "50"))) {
      Offers offers = Offers.watch(withoutApi);
      // a record that fails is dead-lettered after maxAttempts offers; one whose consumer answers
      // 503 is offered again after a growing pause (0.05 s, 0.1 s, ... 3.2 s), so the offer after
      // the last one a failing record gets proves it was not. The watch may miss a first offer.
      int attempts = setting(withoutApi, "maxAttempts", 5);
      int bound = Math.min(SERIES, setting(withoutApi, "maxInFlight", 1000));
      long offered =
          TestSystem.eventually(
              Duration.ofSeconds(60), () -> offers.events(users, attempts + 1), n -> n >= bound);
      assertEquals(bound, offered, "completions offered " + (attempts + 1) + " times or more");
      assertEquals(0, openTasks(users), "refused each time: there is no api");

      List<ConsumerGroups.Position> completions = completions(users);
      Map<TopicPartition, Long> committed = ConsumerGroups.committed(ConsumerGroups.RECURRENCE);
      ConsumerGroups.firstPerPartition(completions)
          .forEach(
              (partition, first) ->
                  assertTrue(
                      committed.getOrDefault(partition, 0L) <= first,
                      "committed past a completion nobody handled: "
                          + committed
                          + " in "
                          + partition));
      try (EventLog dlq = new EventLog(Topics.TASK_EVENTS_DLQ)) {
        List<ConsumerRecord<String, String>> dead =
            dlq.readToEnd(Duration.ofSeconds(20)).stream()
                .filter(r -> users.contains(r.key()))
                .toList();
        assertEquals(List.of(), dead, "dead-lettered completions");
      }
    }
    try (TestSystem whole = TestSystem.start("api,recurrence,kafka")) {
      long open =
          TestSystem.eventually(Duration.ofSeconds(30), () -> openTasks(users), n -> n >= SERIES);
      assertEquals(SERIES, open, "every completion made its next occurrence once the API was back");
      awaitCompletionsHandled(users);
      assertEquals(SERIES, openTasks(users), "one each");
    }
  }

  /**
   * {@code SERIES} weekly tasks, one per new user; made where the recurrence service runs (it
   * checks rules). That process runs the kafka role too, and the recurrence consumers catch up with
   * all there is before: what the tests then see held back is their own completions alone.
   */
  private static List<String> recurringTasks(String name, List<String> users) throws Exception {
    List<String> ids = new ArrayList<>();
    try (TestSystem maker = TestSystem.start("api,recurrence,kafka")) {
      for (int i = 0; i < SERIES; i++) {
        String user = TestSystem.uniqueUser(name + i);
        var created =
            maker.call(
                "POST",
                "/api/v1/tasks",
                user,
                new JsonObject()
                    .put("title", "weekly " + i)
                    .put("dueDate", "2026-06-01")
                    .put("recurrence", new JsonObject().put("preset", "weekly"))
                    .encode());
        assertEquals(201, created.statusCode(), created.body());
        users.add(user);
        ids.add(new JsonObject(created.body()).getString("id"));
      }
      ConsumerGroups.awaitCaughtUp(
          ConsumerGroups.RECURRENCE, Topics.TASK_EVENTS, Duration.ofSeconds(60));
    }
    return ids;
  }

  private static long openTasks(List<String> users) throws Exception {
    return TestSystem.count(
        "SELECT count(*) FROM tasks WHERE user_id = ANY (?) AND NOT completed",
        (Object) users.toArray(new String[0]));
  }

  /** Where the users' completions are in Kafka, one each. */
  private static List<ConsumerGroups.Position> completions(List<String> users) {
    Set<String> wanted = Set.copyOf(users);
    try (EventLog kafka = new EventLog()) {
      kafka.readUntil(Duration.ofSeconds(20), rs -> completionsIn(rs, wanted).size() >= SERIES);
      List<ConsumerRecord<String, String>> records = completionsIn(kafka.records, wanted);
      assertEquals(SERIES, records.size(), "completions in Kafka");
      return records.stream().map(ConsumerGroups.Position::of).toList();
    }
  }

  private static List<ConsumerRecord<String, String>> completionsIn(
      List<ConsumerRecord<String, String>> records, Set<String> users) {
    return records.stream()
        .filter(
            r ->
                users.contains(r.key())
                    && EventTypes.TASK_COMPLETED.equals(
                        new JsonObject(r.value()).getString(Envelope.TYPE)))
        .toList();
  }

  /**
   * Every completion handled by a recurrence consumer: its group committed past it, which it does
   * once the answer came, after the api made the next occurrence (or found it made). No next
   * occurrence is on its way after this.
   */
  private static void awaitCompletionsHandled(List<String> users) throws Exception {
    ConsumerGroups.awaitHandled(
        ConsumerGroups.RECURRENCE, completions(users), Duration.ofSeconds(30));
  }

  /** A setting of the recurrence subscription, as the system was configured. */
  private static int setting(TestSystem system, String name, int otherwise) {
    return system.taskbus.config().getJsonObject("kafka").getJsonArray("subscriptions").stream()
        .map(JsonObject.class::cast)
        .filter(s -> ConsumerGroups.RECURRENCE.equals(s.getString("group")))
        .findFirst()
        .orElseThrow()
        .getInteger(name, otherwise);
  }

  /**
   * What a system's subscription offers the recurrence consumer, counted per event as it leaves.
   */
  private static final class Offers {

    private final Map<String, AtomicInteger> times = new ConcurrentHashMap<>();
    private final Map<String, String> userOf = new ConcurrentHashMap<>();

    static Offers watch(TestSystem system) {
      Offers offers = new Offers();
      system
          .taskbus
          .vertx()
          .eventBus()
          .addOutboundInterceptor(
              delivery -> {
                if (Addresses.RECURRENCE_EVENTS.equals(delivery.message().address())
                    && delivery.body() instanceof Event event) {
                  String id = event.id();
                  offers.userOf.put(id, String.valueOf(event.userId()));
                  offers.times.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                }
                delivery.next();
              });
      return offers;
    }

    /** How many events of these users were offered at least {@code times} times. */
    long events(Collection<String> users, int atLeast) {
      return times.entrySet().stream()
          .filter(e -> users.contains(userOf.get(e.getKey())) && e.getValue().get() >= atLeast)
          .count();
    }
  }
}
