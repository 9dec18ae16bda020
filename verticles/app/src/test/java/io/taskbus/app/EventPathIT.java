package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.Topics;
import io.taskbus.devstack.DevStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole path: HTTP → PostgreSQL + outbox → Kafka → audit and bridge, with real servers. */
class EventPathIT {

  static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,bridge,kafka,audit");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void createdTaskReachesKafkaAuditAndOnlyItsOwnersBrowser() throws Exception {
    String alice = TestSystem.uniqueUser("alice");
    String bob = TestSystem.uniqueUser("bob");
    try (BridgeClient aliceTab = BridgeClient.connect(system.port, system.token(alice));
        BridgeClient bobTab = BridgeClient.connect(system.port, system.token(bob));
        EventLog kafka = new EventLog()) {
      aliceTab.registerAndAwait(Addresses.userTasks(alice));
      bobTab.register(Addresses.userTasks(bob));
      bobTab.register(Addresses.userTasks(alice));
      // bob's frames are handled in order: this answer also means his own registration is made
      JsonObject denied = bobTab.next("err", Duration.ofSeconds(5));
      assertNotNull(denied, "registering another user's address must be refused");
      assertEquals("rejected", denied.getString("body"));
      EventSchemas.assertFrame("errFrame", denied);

      HttpResponse<String> created =
          system.postJson(
              "/api/v1/tasks",
              alice,
              "{\"title\":\"  water the plants  \",\"description\":\"the ficus too\"}");
      assertEquals(201, created.statusCode(), created.body());
      JsonObject task = new JsonObject(created.body());
      String id = task.getString("id");
      assertEquals("water the plants", task.getString("title"));
      assertEquals("/api/v1/tasks/" + id, created.headers().firstValue("Location").orElseThrow());

      // 1. the CloudEvent is in Kafka, keyed by the user
      List<ConsumerRecord<String, String>> records =
          kafka.readUntil(
              Duration.ofSeconds(15), rs -> rs.stream().anyMatch(r -> r.value().contains(id)));
      ConsumerRecord<String, String> record =
          records.stream().filter(r -> r.value().contains(id)).findFirst().orElseThrow();
      assertEquals(alice, record.key());
      JsonObject event = new JsonObject(record.value());
      assertEquals("1.0", event.getString("specversion"));
      assertEquals("task.created", event.getString("type"));
      assertEquals(id, event.getString("subject"));
      assertEquals(alice, event.getString("userid"));
      assertNotNull(event.getString("id"));
      assertNotNull(event.getString("time"));
      assertEquals(task, event.getJsonObject("data").getJsonObject("task"));
      EventSchemas.assertRecord(record);

      // 2. alice's open tab receives it; bob's receives nothing
      JsonObject pushed = aliceTab.next("rec", Duration.ofSeconds(10));
      assertNotNull(pushed, "alice's bridge client should receive the event");
      assertEquals(Addresses.userTasks(alice), pushed.getString("address"));
      assertEquals(event.getString("id"), pushed.getJsonObject("body").getString("id"));
      EventSchemas.assertFrame("liveTaskFrame", pushed);
      assertNull(bobTab.next("rec", Duration.ofSeconds(1)), "bob must not receive alice's events");

      // 3. exactly one audit row, visible as the task's history with old and new values
      JsonArray history = history(alice, id, 1);
      assertEquals(1, history.size(), history.encode());
      JsonObject entry = history.getJsonObject(0);
      assertEquals(event.getString("id"), entry.getString("eventId"));
      assertEquals("task.created", entry.getString("type"));
      assertEquals(alice, entry.getString("actor"));
      assertEquals(
          "water the plants",
          entry.getJsonObject("changes").getJsonObject("title").getString("new"));

      // bob cannot see alice's task or its history
      assertEquals(404, system.get("/api/v1/tasks/" + id, bob).statusCode());
      assertEquals(404, system.get("/api/v1/tasks/" + id + "/history", bob).statusCode());
    }
  }

  @Test
  void completeAndDeleteAreEventsWithOldAndNewValues() throws Exception {
    String carol = TestSystem.uniqueUser("carol");
    String id = system.createTask(carol, "file taxes").getString("id");
    HttpResponse<String> completed =
        system.postJson("/api/v1/tasks/" + id + "/complete", carol, null);
    assertEquals(200, completed.statusCode(), completed.body());
    JsonObject task = new JsonObject(completed.body());
    assertTrue(task.getBoolean("completed"));
    assertNotNull(task.getString("completedAt"));
    assertEquals(2, task.getInteger("version"));

    // completing again changes nothing and writes no event
    assertEquals(
        200, system.postJson("/api/v1/tasks/" + id + "/complete", carol, null).statusCode());

    assertEquals(204, system.send("DELETE", "/api/v1/tasks/" + id, carol, null, null).statusCode());
    assertEquals(404, system.get("/api/v1/tasks/" + id, carol).statusCode());
    assertEquals(404, system.send("DELETE", "/api/v1/tasks/" + id, carol, null, null).statusCode());

    try (EventLog kafka = new EventLog()) {
      List<JsonObject> events = kafka.checkedEventsOfUser(carol, 3, Duration.ofSeconds(10));
      assertEquals(3, events.size());
    }
    JsonArray history = history(carol, id, 3);
    assertEquals(
        List.of("task.created", "task.completed", "task.deleted"),
        history.stream().map(o -> ((JsonObject) o).getString("type")).toList());
    JsonObject completion = history.getJsonObject(1).getJsonObject("changes");
    assertEquals(false, completion.getJsonObject("completed").getBoolean("old"));
    assertEquals(true, completion.getJsonObject("completed").getBoolean("new"));
  }

  @Test
  void listShowsOnlyTheCallersTasksNewestFirstWithCursor() throws Exception {
    String dave = TestSystem.uniqueUser("dave");
    String erin = TestSystem.uniqueUser("erin");
    for (int i = 0; i < 5; i++) {
      system.createTask(dave, "dave " + i);
    }
    system.createTask(erin, "erin's");
    JsonObject page1 = new JsonObject(system.get("/api/v1/tasks?limit=3", dave).body());
    assertEquals(3, page1.getJsonArray("items").size());
    assertEquals("dave 4", page1.getJsonArray("items").getJsonObject(0).getString("title"));
    String cursor = page1.getString("nextCursor");
    assertNotNull(cursor);
    JsonObject page2 =
        new JsonObject(system.get("/api/v1/tasks?limit=3&cursor=" + cursor, dave).body());
    assertEquals(
        List.of("dave 1", "dave 0"),
        page2.getJsonArray("items").stream()
            .map(o -> ((JsonObject) o).getString("title"))
            .toList());
    assertNull(page2.getString("nextCursor"));
  }

  @Test
  void redeliveredEventLeavesOneAuditRow() throws Exception {
    String frank = TestSystem.uniqueUser("frank");
    String id = system.createTask(frank, "redeliver me").getString("id");
    assertEquals(1, history(frank, id, 1).size());
    String eventJson;
    try (EventLog kafka = new EventLog()) {
      eventJson =
          kafka
              .readUntil(
                  Duration.ofSeconds(10), rs -> rs.stream().anyMatch(r -> r.value().contains(id)))
              .stream()
              .filter(r -> r.value().contains(id))
              .findFirst()
              .orElseThrow()
              .value();
    }
    String eventId = new JsonObject(eventJson).getString("id");
    Properties props = new Properties();
    props.put("bootstrap.servers", DevStack.shared().kafkaBootstrapServers());
    List<ConsumerGroups.Position> redelivered = new java.util.ArrayList<>();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 2; i++) {
        redelivered.add(
            ConsumerGroups.Position.of(
                producer.send(new ProducerRecord<>(Topics.TASK_EVENTS, frank, eventJson)).get()));
      }
    }
    // the audit's group committed past both copies: the audit writer has answered for them
    ConsumerGroups.awaitHandled(ConsumerGroups.AUDIT, redelivered, Duration.ofSeconds(20));
    assertEquals(
        1,
        TestSystem.count(
            "SELECT count(*) FROM audit_log WHERE event_id = ?", Long.parseLong(eventId)));
    assertEquals(1, history(frank, id, 1).size());
    assertEquals(1, TestSystem.count("SELECT count(*) FROM audit_log WHERE user_id = ?", frank));
  }

  @Test
  void recordTheAuditCannotTakeGoesToTheDeadLetterTopicAndTheStreamGoesOn() throws Exception {
    String grace = TestSystem.uniqueUser("grace");
    String poison =
        new JsonObject()
            .put("specversion", "1.0")
            .put("id", "not-a-number")
            .put("type", "task.created")
            .put("userid", grace)
            .put("marker", grace)
            .encode();
    assertFalse(EventSchemas.valid(new JsonObject(poison)), "the schema rejects it too");
    Properties props = new Properties();
    props.put("bootstrap.servers", DevStack.shared().kafkaBootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(Topics.TASK_EVENTS, grace, poison)).get();
    }
    String id = system.createTask(grace, "after the poison").getString("id");
    assertEquals(1, history(grace, id, 1).size(), "later events are audited meanwhile");

    try (EventLog dlq = new EventLog(Topics.TASK_EVENTS_DLQ)) {
      ConsumerRecord<String, String> dead =
          dlq
              .readUntil(
                  Duration.ofSeconds(30),
                  rs -> rs.stream().anyMatch(r -> r.value().contains(grace)))
              .stream()
              .filter(r -> r.value().contains(grace))
              .findFirst()
              .orElseThrow(() -> new AssertionError("the poison record never reached the DLQ"));
      assertEquals(poison, dead.value());
      EventSchemas.assertDeadLetter(dead);
      assertEquals(grace, dead.key());
      String error = new String(dead.headers().lastHeader("taskbus.error").value());
      assertTrue(error.contains("not an event envelope"), error);
      assertEquals("5", new String(dead.headers().lastHeader("taskbus.attempts").value()));
      assertEquals(
          "taskbus-audit", new String(dead.headers().lastHeader("taskbus.subscription").value()));
    }
  }

  private static JsonArray history(String user, String id, int expected) throws Exception {
    return TestSystem.eventually(
        Duration.ofSeconds(10),
        () -> {
          HttpResponse<String> response = system.get("/api/v1/tasks/" + id + "/history", user);
          assertEquals(200, response.statusCode(), response.body());
          return new JsonObject(response.body()).getJsonArray("items");
        },
        items -> items.size() >= expected);
  }
}
