package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.taskbus.contracts.Topics;
import io.taskbus.devstack.DevStack;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar taskbus.jar replay}, run from the shaded jar as an operator would, sends the
 * audit log's events to a topic of its own: a user's every event type, in sequence order, each
 * record what the relay wrote for that event on task-events (key, headers, the event the
 * CloudEvents SDK reads), and no other user's unless asked.
 */
class ReplayIT {

  private static final Pattern SENT = Pattern.compile("replayed (\\d+) events from the audit log");

  static TestSystem system;
  static String user;
  static String other;

  /** The user's records on task-events, as the relay wrote them, all of them audited. */
  static List<ConsumerRecord<String, String>> relayed;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,kafka,audit,recurrence", EveryEventType.SETTINGS);
    user = TestSystem.uniqueUser("replay");
    other = TestSystem.uniqueUser("replay-other");
    EveryEventType.run(system, user);
    system.createTask(other, "someone else's");
    long waiting =
        TestSystem.eventually(
            Duration.ofSeconds(30),
            () ->
                TestSystem.count(
                    "SELECT count(*) FROM outbox WHERE user_id IN (?, ?)", user, other),
            n -> n == 0);
    assertEquals(0, waiting, "outbox rows not sent");
    ConsumerGroups.awaitCaughtUp(ConsumerGroups.AUDIT, Topics.TASK_EVENTS, Duration.ofSeconds(60));
    try (EventLog kafka = new EventLog()) {
      kafka.readToEnd(Duration.ofSeconds(30));
      relayed = kafka.records.stream().filter(r -> user.equals(r.key())).toList();
    }
    assertEquals(
        relayed.size(),
        TestSystem.count("SELECT count(*) FROM audit_log WHERE user_id = ?", user),
        "every event of the user audited");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void replaysEveryAuditedEventOfAUserInOrderAsTheRelayWroteIt() throws Exception {
    String topic = "replay-" + UUID.randomUUID();
    String output = replay("--to", topic, "--user", user);
    assertEquals(relayed.size(), sent(output), output);

    List<ConsumerRecord<String, String>> replayed = readAll(topic);
    assertEquals(relayed.size(), replayed.size(), "one record per audited event");
    assertEquals(EveryEventType.all(), types(replayed), "every event type");
    assertTrue(replayed.stream().allMatch(r -> user.equals(r.key())), "only the user's");
    assertInSeqOrder(replayed);
    assertSameEvents(relayed, replayed);
  }

  @Test
  void sinceSendsTheEventsFromThatTimeOnOfEveryUser() throws Exception {
    // the time of an event in the middle of the user's
    String since = new JsonObject(relayed.get(relayed.size() / 2).value()).getString("time");
    Instant from = Instant.parse(since);
    List<ConsumerRecord<String, String>> expected =
        relayed.stream()
            .filter(r -> !Instant.parse(new JsonObject(r.value()).getString("time")).isBefore(from))
            .toList();
    assertTrue(expected.size() < relayed.size(), "a part of the user's events");

    String topic = "replay-since-" + UUID.randomUUID();
    String output = replay("--to", topic, "--since", since);
    List<ConsumerRecord<String, String>> replayed = readAll(topic);
    assertEquals(replayed.size(), sent(output), output);
    List<ConsumerRecord<String, String>> ofUser =
        replayed.stream().filter(r -> user.equals(r.key())).toList();
    assertInSeqOrder(ofUser);
    assertSameEvents(expected, ofUser);
    assertTrue(
        replayed.stream().anyMatch(r -> other.equals(r.key())),
        "the other user's event, made later, too");
    assertTrue(
        replayed.stream()
            .allMatch(
                r -> !Instant.parse(new JsonObject(r.value()).getString("time")).isBefore(from)),
        "nothing before --since");
  }

  @Test
  void badArgumentsGetTheUsageAndExitTwo() {
    for (List<String> args :
        List.of(
            List.<String>of(),
            List.of("--to"),
            List.of("--user", "alice"),
            List.of("--to", "t", "--since", "yesterday"),
            List.of("--to", "t", "--since", "2026-12-07"),
            List.of("--to", "t", "--from", "x"))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int exit =
          ReplayCommand.run(
              args.toArray(new String[0]),
              Map.of(),
              new Properties(),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));
      String said = err.toString(StandardCharsets.UTF_8);
      assertEquals(2, exit, args + ": " + said);
      assertTrue(said.contains("usage: java -jar taskbus.jar replay --to <topic>"), said);
      assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing sent");
    }
  }

  /**
   * Runs the shaded jar's replay with the test system's PostgreSQL and Kafka; returns its output.
   */
  private static String replay(String... args) throws Exception {
    Path jar = Path.of(System.getProperty("taskbus.jar", "target/taskbus.jar")).toAbsolutePath();
    assertTrue(Files.exists(jar), "build the jar first: " + jar);
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                jar.toString(),
                "replay"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(Files.createTempDirectory(TestSystem.scratch(), "taskbus-replay").toFile())
            .redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("TASKBUS_"));
    builder.environment().put("TASKBUS_PG_URL", DevStack.shared().postgresUri());
    builder
        .environment()
        .put("TASKBUS_KAFKA_BOOTSTRAPSERVERS", DevStack.shared().kafkaBootstrapServers());
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), output);
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  private static long sent(String output) {
    Matcher matcher = SENT.matcher(output);
    assertTrue(matcher.find(), output);
    return Long.parseLong(matcher.group(1));
  }

  private static List<ConsumerRecord<String, String>> readAll(String topic) {
    try (EventLog log = new EventLog(DevStack.shared().kafkaBootstrapServers(), topic)) {
      return List.copyOf(log.readToEnd(Duration.ofSeconds(30)));
    }
  }

  private static java.util.Set<String> types(List<ConsumerRecord<String, String>> records) {
    java.util.Set<String> types = new java.util.TreeSet<>();
    records.forEach(r -> types.add(new JsonObject(r.value()).getString("type")));
    return types;
  }

  private static void assertInSeqOrder(List<ConsumerRecord<String, String>> records) {
    for (int i = 1; i < records.size(); i++) {
      long before = new JsonObject(records.get(i - 1).value()).getLong("seq");
      long now = new JsonObject(records.get(i).value()).getLong("seq");
      assertTrue(now > before, "seq " + now + " after " + before);
    }
  }

  /**
   * Each replayed record is the relayed one: the same key and headers, the same event as JSON (the
   * audit log's jsonb may order and space the data's keys its own way), and the same CloudEvent as
   * the SDK reads it.
   */
  private static void assertSameEvents(
      List<ConsumerRecord<String, String>> relayed, List<ConsumerRecord<String, String>> replayed) {
    assertEquals(relayed.size(), replayed.size(), "as many records as the relay wrote");
    try (CloudEventDeserializer sdk = new CloudEventDeserializer()) {
      sdk.configure(Map.of(), false);
      for (int i = 0; i < relayed.size(); i++) {
        ConsumerRecord<String, String> was = relayed.get(i);
        ConsumerRecord<String, String> again = replayed.get(i);
        JsonObject event = EventSchemas.assertRecord(again);
        String what = event.getString("type") + " " + event.getString("id");
        assertEquals(new JsonObject(was.value()), event, what);
        assertEquals(was.key(), again.key(), what);
        assertEquals(headers(was), headers(again), what);
        CloudEvent expected = decode(sdk, was);
        CloudEvent actual = decode(sdk, again);
        assertEquals(expected.getId(), actual.getId(), what);
        assertEquals(expected.getType(), actual.getType(), what);
        assertEquals(expected.getSource(), actual.getSource(), what);
        assertEquals(expected.getSubject(), actual.getSubject(), what);
        assertEquals(expected.getTime(), actual.getTime(), what);
        assertEquals(expected.getDataContentType(), actual.getDataContentType(), what);
        assertEquals(expected.getExtensionNames(), actual.getExtensionNames(), what);
        for (String name : expected.getExtensionNames()) {
          assertEquals(expected.getExtension(name), actual.getExtension(name), what + " " + name);
        }
        assertEquals(data(expected), data(actual), what);
      }
    }
  }

  private static CloudEvent decode(CloudEventDeserializer sdk, ConsumerRecord<String, String> r) {
    return sdk.deserialize(r.topic(), r.headers(), r.value().getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject data(CloudEvent event) {
    return new JsonObject(new String(event.getData().toBytes(), StandardCharsets.UTF_8));
  }

  /** The headers but the trace context, which a replay has no part in. */
  private static Map<String, String> headers(ConsumerRecord<String, String> record) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header header : record.headers()) {
      if (!header.key().equals("traceparent")) {
        headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    return headers;
  }
}
