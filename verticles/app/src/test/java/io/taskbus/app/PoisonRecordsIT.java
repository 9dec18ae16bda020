package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Topics;
import io.taskbus.devstack.DevStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A record a consumer cannot take because of what is in it is retried, then dead-lettered with its
 * error, and the stream goes on: the user's next events still arrive. Before, the recurrence and
 * notification consumers answered "unavailable" for every failure, so a few such records held their
 * subscription forever, and a completion with an unreadable rule was acknowledged and its next
 * occurrence lost without a trace.
 */
class PoisonRecordsIT {

  static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,kafka,audit,recurrence,notification");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void aCompletionWithAnUnreadableRuleIsDeadLetteredAndTheSeriesAfterItGoesOn() throws Exception {
    String user = TestSystem.uniqueUser("poisonrule");
    String first = createWeekly(user, "first");
    complete(user, first);
    String completion;
    try (EventLog log = new EventLog()) {
      completion =
          log.readUntil(Duration.ofSeconds(20), rs -> completionOf(rs, first) != null).stream()
              .map(ConsumerRecord::value)
              .filter(v -> isCompletionOf(v, first))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no task.completed event for " + first));
    }
    JsonObject poison = new JsonObject(completion);
    // far above any id the outbox hands out in a test run: the audit stores it like any event
    String poisonId = Long.toString(9_000_000_000_000L + Long.parseLong(poison.getString("id")));
    poison.put("id", poisonId);
    poison
        .getJsonObject("data")
        .getJsonObject("task")
        .getJsonObject("recurrence")
        .put("rule", "FREQ=SOMETIMES");
    produce(user, poison.encode(), "task.completed");

    // a later completion of the same user: the same partition, behind the poison record
    String second = createWeekly(user, "second");
    complete(user, second);
    TestSystem.eventually(
        Duration.ofSeconds(30),
        () ->
            TestSystem.count(
                "SELECT count(*) FROM tasks WHERE user_id = ? AND NOT completed AND title = 'second'",
                user),
        n -> n == 1);

    ConsumerRecord<String, String> dead = deadLettered(poisonId);
    EventSchemas.assertDeadLetterOfEvent(dead);
    assertEquals("taskbus-recurrence", header(dead, "taskbus.subscription"));
    assertTrue(
        header(dead, "taskbus.error").contains("no next occurrence"),
        header(dead, "taskbus.error"));
  }

  @Test
  void moreBadRemindersThanTheConsumerTakesAtOnceDoNotHoldBackTheGoodOne() throws Exception {
    String user = TestSystem.uniqueUser("poisonreminder");
    // more than the notification subscription's maxInFlight (32): parked forever, they would
    // take every place, and nothing after them would ever be handed on
    for (int i = 0; i < 40; i++) {
      JsonObject bad =
          new JsonObject()
              .put("specversion", "1.0")
              .put("id", Long.toString(8_000_000_000_000L + i))
              .put("type", "reminder.due")
              .put("source", "/taskbus")
              .put("userid", user)
              .put("subject", java.util.UUID.randomUUID().toString())
              .put("time", Instant.now().toString())
              .put(
                  "data", new JsonObject().put("reminder", new JsonObject().put("fireAt", "soon")));
      produce(user, bad.encode(), "reminder.due");
    }
    HttpResponse<String> created =
        system.call(
            "POST",
            "/api/v1/tasks",
            user,
            new JsonObject()
                .put("title", "after the bad ones")
                .put(
                    "reminders",
                    new JsonArray()
                        .add(new JsonObject().put("at", Instant.now().plusSeconds(2).toString())))
                .encode());
    assertEquals(201, created.statusCode(), created.body());
    JsonArray items =
        TestSystem.eventually(
            Duration.ofSeconds(60),
            () ->
                new JsonObject(system.get("/api/v1/notifications", user).body())
                    .getJsonArray("items"),
            list -> !list.isEmpty());
    assertEquals(1, items.size(), items.encodePrettily());
    assertEquals("after the bad ones", items.getJsonObject(0).getString("title"));

    ConsumerRecord<String, String> dead = deadLettered("8000000000000");
    EventSchemas.assertDeadLetter(dead);
    assertEquals("taskbus-notification", header(dead, "taskbus.subscription"));
  }

  @Test
  void eventsWithoutAReadableTypeNeverHoldBackTheirPartition() throws Exception {
    String user = TestSystem.uniqueUser("poisontype");
    Properties props = new Properties();
    props.put("bootstrap.servers", DevStack.shared().kafkaBootstrapServers());
    List<ConsumerGroups.Position> odd = new java.util.ArrayList<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      // no headers, as a hand-written record has: every subscription is given them
      for (JsonObject value :
          List.of(
              new JsonObject().put("id", "8100000000000").put("userid", user),
              new JsonObject()
                  .put("id", "8100000000001")
                  .put("userid", user)
                  .put("type", new JsonObject()),
              new JsonObject()
                  .put("id", "8100000000002")
                  .put("userid", user)
                  .put("type", "task.completed")
                  .put("data", "not an object"))) {
        odd.add(
            ConsumerGroups.Position.of(
                producer
                    .send(new ProducerRecord<>(Topics.TASK_EVENTS, user, value.encode()))
                    .get()));
      }
    }
    // each consumer answers for each of them (taken, skipped or dead-lettered), so the partition's
    // commits move on: an unanswered one held them, and every later record's, until a restart
    for (String group :
        List.of(ConsumerGroups.AUDIT, ConsumerGroups.RECURRENCE, ConsumerGroups.NOTIFICATION)) {
      ConsumerGroups.awaitHandled(group, odd, Duration.ofSeconds(45));
    }
  }

  private static String createWeekly(String user, String title) throws Exception {
    HttpResponse<String> created =
        system.call(
            "POST",
            "/api/v1/tasks",
            user,
            new JsonObject()
                .put("title", title)
                .put("dueDate", "2026-06-01")
                .put("recurrence", new JsonObject().put("preset", "weekly"))
                .encode());
    assertEquals(201, created.statusCode(), created.body());
    return new JsonObject(created.body()).getString("id");
  }

  private static void complete(String user, String id) throws Exception {
    HttpResponse<String> done =
        system.call("POST", "/api/v1/tasks/" + id + "/complete", user, null);
    assertEquals(200, done.statusCode(), done.body());
  }

  private static String completionOf(List<ConsumerRecord<String, String>> records, String id) {
    return records.stream()
        .map(ConsumerRecord::value)
        .filter(v -> isCompletionOf(v, id))
        .findFirst()
        .orElse(null);
  }

  private static boolean isCompletionOf(String value, String id) {
    JsonObject event = new JsonObject(value);
    return "task.completed".equals(event.getString("type"))
        && id.equals(event.getString("subject"));
  }

  /** As the relay writes it: keyed by user, the type in the ce_type header. */
  private static void produce(String user, String value, String type) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", DevStack.shared().kafkaBootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      ProducerRecord<String, String> record = new ProducerRecord<>(Topics.TASK_EVENTS, user, value);
      // the headers the relay sets, so the dead letter can be checked to keep them
      record
          .headers()
          .add(
              "content-type",
              "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8))
          .add("ce_type", type.getBytes(StandardCharsets.UTF_8));
      producer.send(record).get();
    }
  }

  private static ConsumerRecord<String, String> deadLettered(String eventId) {
    try (EventLog dlq = new EventLog(Topics.TASK_EVENTS_DLQ)) {
      return dlq
          .readUntil(
              Duration.ofSeconds(30),
              rs ->
                  rs.stream()
                      .anyMatch(r -> eventId.equals(new JsonObject(r.value()).getString("id"))))
          .stream()
          .filter(r -> eventId.equals(new JsonObject(r.value()).getString("id")))
          .findFirst()
          .orElseThrow(() -> new AssertionError("event " + eventId + " never reached the DLQ"));
    }
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
