package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.Topics;
import io.taskbus.devstack.DevStack;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The AsyncAPI document served at {@code /api/v1/asyncapi.yaml} is valid by the AsyncAPI project's
 * own parser ({@code @asyncapi/parser}, run by {@code src/test/node/asyncapi-check.mjs}) and
 * describes what taskbus really sends: a record of every event type, a dead letter, and the frames
 * a browser tab receives and sends each match exactly one message of their channel.
 */
class AsyncApiIT {

  static final Path CHECK = Path.of("src/test/node/asyncapi-check.mjs").toAbsolutePath();
  static final Path WORK = Path.of("target/asyncapi-it").toAbsolutePath();

  static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system =
        TestSystem.start("api,bridge,kafka,audit,recurrence,notification", EveryEventType.SETTINGS);
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void servedLikeTheOpenApiDocument() throws Exception {
    HttpResponse<String> events = system.get("/api/v1/asyncapi.yaml", null);
    HttpResponse<String> api = system.get("/api/v1/openapi.yaml", null);
    assertEquals(200, events.statusCode(), "no token needed");
    assertEquals("application/yaml", events.headers().firstValue("Content-Type").orElse(null));
    assertTrue(events.body().startsWith("asyncapi: 3.0.0"), events.body());
    for (String header : List.of("Content-Type", "Cache-Control", "ETag", "Last-Modified")) {
      assertEquals(
          api.headers().firstValue(header).isPresent(),
          events.headers().firstValue(header).isPresent(),
          header + " as for openapi.yaml");
    }
  }

  @Test
  void theParserAcceptsTheDocumentAndEveryObservedMessageMatchesIt() throws Exception {
    HttpResponse<String> served = system.get("/api/v1/asyncapi.yaml", null);
    assertEquals(200, served.statusCode());
    Files.createDirectories(WORK);
    Path document = WORK.resolve("asyncapi.yaml");
    Files.writeString(document, served.body());

    String user = TestSystem.uniqueUser("asyncapi");
    JsonArray observed = new JsonArray();
    List<String> expected = new ArrayList<>();
    try (BridgeClient tab = BridgeClient.connect(system.port, system.token(user))) {
      JsonObject register =
          new JsonObject().put("type", "register").put("address", Addresses.userTasks(user));
      tab.send(register);
      tab.registerAndAwait(Addresses.userNotifications(user));
      observed.add(message("bridgeConnection", null, register));
      expected.add("register");
      tab.register(Addresses.userTasks("someone-else"));
      JsonObject refused = tab.next("err", Duration.ofSeconds(10));
      assertNotNull(refused, "another user's address is refused");
      EventSchemas.assertFrame("errFrame", refused);
      observed.add(message("bridgeConnection", null, refused));
      expected.add("err");

      EveryEventType.Run run = EveryEventType.run(system, user);
      for (ConsumerRecord<String, String> record : run.records()) {
        JsonObject event = EventSchemas.assertRecord(record);
        observed.add(message("taskEvents", EventSchemas.headers(record), event));
        expected.add(event.getString("type"));
      }

      List<JsonObject> frames = pushes(tab, run.records().size());
      String notificationId = null;
      for (JsonObject frame : frames) {
        boolean live = frame.getString("address").equals(Addresses.userTasks(user));
        EventSchemas.assertFrame(live ? "liveTaskFrame" : "notificationFrame", frame);
        observed.add(message(live ? "userTasks" : "userNotifications", null, frame));
        expected.add(live ? "live-task-event" : "notification");
        if (!live) {
          notificationId =
              frame.getJsonObject("body").getJsonObject("notification").getString("id");
        }
      }
      assertNotNull(notificationId, "a reminder was pushed as a notification");
      HttpResponse<String> read =
          system.call("POST", "/api/v1/notifications/" + notificationId + "/read", user, null);
      assertEquals(200, read.statusCode(), read.body());
      JsonObject state = null;
      for (int i = 0; i < 20 && state == null; i++) {
        JsonObject frame = tab.next("rec", Duration.ofSeconds(1));
        if (frame != null && "state".equals(frame.getJsonObject("body").getString("kind"))) {
          state = frame;
        }
      }
      assertNotNull(state, "reading it is pushed to the tab");
      EventSchemas.assertFrame("notificationsChangedFrame", state);
      observed.add(message("userNotifications", null, state));
      expected.add("notifications-changed");
    }

    ConsumerRecord<String, String> dead = deadLetter();
    EventSchemas.assertDeadLetter(dead);
    observed.add(message("taskEventsDeadLetters", EventSchemas.headers(dead), dead.value()));
    expected.add("dead-letter");

    Path records = WORK.resolve("records.json");
    Files.writeString(records, observed.encode());
    JsonObject result = check(document, records);

    List<String> errors = new ArrayList<>();
    for (Object d : result.getJsonArray("diagnostics")) {
      JsonObject diagnostic = (JsonObject) d;
      if (diagnostic.getInteger("severity") == 0) {
        errors.add(diagnostic.encode());
      }
    }
    assertEquals(List.of(), errors, "the parser's errors");

    JsonObject channels = result.getJsonObject("channels");
    assertEquals(Topics.TASK_EVENTS, channels.getJsonObject("taskEvents").getString("address"));
    assertEquals(
        Topics.TASK_EVENTS_DLQ,
        channels.getJsonObject("taskEventsDeadLetters").getString("address"));
    assertEquals(
        Addresses.userTasks("{userId}"), channels.getJsonObject("userTasks").getString("address"));
    assertEquals(
        Addresses.userNotifications("{userId}"),
        channels.getJsonObject("userNotifications").getString("address"));
    Set<String> names = new TreeSet<>();
    channels
        .getJsonObject("taskEvents")
        .getJsonArray("messages")
        .forEach(m -> names.add(((JsonObject) m).getString("name")));
    assertEquals(EveryEventType.all(), names, "a message for every event type");
    assertEquals(
        10,
        result
            .getJsonObject("operations")
            .getJsonObject("sendTaskEvents")
            .getJsonArray("messages")
            .size());

    JsonArray checked = result.getJsonArray("records");
    assertEquals(observed.size(), checked.size());
    for (int i = 0; i < checked.size(); i++) {
      JsonObject outcome = checked.getJsonObject(i);
      assertEquals(
          new JsonArray().add(expected.get(i)),
          outcome.getJsonArray("matches"),
          () -> "exactly the message it is: " + outcome.encodePrettily());
    }
  }

  /** Every push of the run's events, and the notifications its reminders became. */
  private static List<JsonObject> pushes(BridgeClient tab, int events) throws Exception {
    List<JsonObject> frames = new ArrayList<>();
    long live = 0;
    long notifications = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while ((live < events || notifications < 2) && System.nanoTime() < deadline) {
      JsonObject frame = tab.next("rec", Duration.ofSeconds(1));
      if (frame != null) {
        frames.add(frame);
        if (frame.getString("address").endsWith(".tasks")) {
          live++;
        } else {
          notifications++;
        }
      }
    }
    assertEquals(events, live, "every event pushed once");
    assertEquals(2, notifications, "the due and the missed reminder");
    return frames;
  }

  /** A record no consumer can take, of a user of its own: the audit dead-letters it. */
  private static ConsumerRecord<String, String> deadLetter() throws Exception {
    String owner = TestSystem.uniqueUser("asyncapi-poison");
    String poison = new JsonObject().put("specversion", "1.0").put("id", "poison").encode();
    Properties props = new Properties();
    props.put("bootstrap.servers", DevStack.shared().kafkaBootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(Topics.TASK_EVENTS, owner, poison)).get();
    }
    try (EventLog dlq = new EventLog(Topics.TASK_EVENTS_DLQ)) {
      return dlq
          .readUntil(Duration.ofSeconds(30), rs -> rs.stream().anyMatch(r -> owner.equals(r.key())))
          .stream()
          .filter(r -> owner.equals(r.key()))
          .findFirst()
          .orElseThrow(() -> new AssertionError("the poison record never reached the DLQ"));
    }
  }

  private static JsonObject message(String channel, JsonObject headers, Object payload) {
    return new JsonObject().put("channel", channel).put("headers", headers).put("payload", payload);
  }

  /** Runs the parser script; its one line of JSON output. */
  private static JsonObject check(Path document, Path records) throws Exception {
    return new JsonObject(
        NodeTools.run(
            Duration.ofSeconds(120),
            CHECK.getFileName().toString(),
            document.toString(),
            records.toString()));
  }
}
