package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records on {@code task-events} are CloudEvents that someone else's software can read: the
 * CloudEvents Java SDK's Kafka deserializer decodes a record of every event type (structured mode,
 * told by the {@code content-type} header) into the event taskbus means: the same attributes,
 * extensions and data as the JSON the relay wrote, about the task it concerns.
 */
class CloudEventsIT {

  static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,kafka,recurrence", EveryEventType.SETTINGS);
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void theCloudEventsSdkReadsEveryEventTypeAsTaskbusMeantIt() throws Exception {
    String user = TestSystem.uniqueUser("ce");
    EveryEventType.Run run = EveryEventType.run(system, user);
    Set<String> decodedTypes = new TreeSet<>();
    try (CloudEventDeserializer sdk = new CloudEventDeserializer()) {
      sdk.configure(Map.of(), false);
      for (ConsumerRecord<String, String> record : run.records()) {
        JsonObject meant = EventSchemas.assertRecord(record);
        CloudEvent event =
            sdk.deserialize(
                record.topic(), record.headers(), record.value().getBytes(StandardCharsets.UTF_8));
        String type = meant.getString("type");
        decodedTypes.add(event.getType());
        assertEquals(type, event.getType());
        assertEquals("1.0", event.getSpecVersion().toString(), type);
        assertEquals(meant.getString("id"), event.getId(), type);
        assertEquals(URI.create("/taskbus/api"), event.getSource(), type);
        assertEquals(meant.getString("subject"), event.getSubject(), type);
        assertEquals(OffsetDateTime.parse(meant.getString("time")), event.getTime(), type);
        assertEquals("application/json", event.getDataContentType(), type);
        assertNull(event.getDataSchema(), type);
        assertEquals(user, event.getExtension("userid"), type);
        assertEquals(meant.getLong("seq"), ((Number) event.getExtension("seq")).longValue(), type);
        assertEquals(meant.getString("requestid"), event.getExtension("requestid"), type);
        assertEquals(
            Set.of("userid", "seq", "requestid").stream()
                .filter(meant::containsKey)
                .collect(java.util.stream.Collectors.toSet()),
            event.getExtensionNames(),
            type);
        JsonObject data =
            new JsonObject(new String(event.getData().toBytes(), StandardCharsets.UTF_8));
        assertEquals(meant.getJsonObject("data"), data, type);
        assertEquals(subjectOf(run, type, data), event.getSubject(), type);
        // made by a request, or by taskbus itself (timers, the next occurrence, the purge)
        boolean byRequest =
            !type.startsWith("reminder.")
                && !type.equals("task.purged")
                && !isNextOccurrence(run, data);
        assertEquals(byRequest, event.getExtension("requestid") != null, type);
      }
    }
    assertEquals(EveryEventType.all(), decodedTypes);
    List<Long> seqs =
        run.records().stream().map(r -> new JsonObject(r.value()).getLong("seq")).toList();
    for (int i = 1; i < seqs.size(); i++) {
      assertTrue(seqs.get(i) > seqs.get(i - 1), "in the user's order: " + seqs);
    }
  }

  /** The task each type of event of the run is about. */
  private static String subjectOf(EveryEventType.Run run, String type, JsonObject data) {
    return switch (type) {
      case "reminder.due", "reminder.missed" -> run.reminded();
      case "task.purged" -> run.purged();
      case "task.recurring.triggered" -> {
        assertEquals(run.recurring(), data.getString("previousTaskId"));
        yield data.getJsonObject("task").getString("id");
      }
      default -> data.getJsonObject("task").getString("id");
    };
  }

  private static boolean isNextOccurrence(EveryEventType.Run run, JsonObject data) {
    JsonObject task = data.getJsonObject("task");
    return task.getString("seriesId") != null && !run.recurring().equals(task.getString("id"));
  }
}
