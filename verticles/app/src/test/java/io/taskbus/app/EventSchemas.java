package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Checks what the tests observe against the published JSON Schemas in contracts: {@code
 * schemas/task-events.json} (each event by the definition of its own type, and the record's headers
 * and key) and {@code schemas/bridge.json} (the frames a bridge client receives).
 */
final class EventSchemas {

  static final String EVENTS = "https://taskbus.io/schemas/task-events.json";
  static final String BRIDGE = "https://taskbus.io/schemas/bridge.json";

  private static final JsonSchemaOptions OPTIONS =
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://taskbus.io/");
  private static final JsonObject EVENT_SCHEMA = load("/schemas/task-events.json");
  private static final SchemaRepository REPOSITORY =
      SchemaRepository.create(OPTIONS)
          .dereference(JsonSchema.of(EVENT_SCHEMA))
          .dereference(JsonSchema.of(load("/schemas/bridge.json")));
  private static final Map<String, Validator> VALIDATORS = new ConcurrentHashMap<>();
  private static final CloudEventDeserializer CLOUD_EVENTS = cloudEvents();

  /**
   * The event is valid by the definition of its own type. A type the schema has no definition for
   * fails, even if the event would pass as some other type.
   */
  static void assertValid(JsonObject event) {
    String type = event.getString("type");
    if (type == null || !EVENT_SCHEMA.getJsonObject("$defs").containsKey(type)) {
      fail("no schema for event type " + type + ":\n" + event.encodePrettily());
    }
    assertMatches(EVENTS + "#/$defs/" + type, event);
    assertMatches(EVENTS, event);
  }

  /** Whether the event is valid as any event type. */
  static boolean valid(JsonObject event) {
    return validator(EVENTS).validate(event).getValid();
  }

  /**
   * A record of task-events as the relay writes it: the event valid by its type, keyed by its user,
   * with the structured-mode content-type and its type in {@code ce_type}.
   */
  static JsonObject assertRecord(ConsumerRecord<String, String> record) {
    JsonObject event = new JsonObject(record.value());
    assertValid(event);
    assertEquals(event.getString("userid"), record.key(), "the record key is the user id");
    JsonObject headers = headers(record);
    assertMatches(EVENTS + "#/$defs/recordHeaders", headers);
    assertEquals(event.getString("type"), headers.getString("ce_type"), "ce_type is the type");
    // and someone else's reader takes it for the same event
    CloudEvent decoded =
        CLOUD_EVENTS.deserialize(
            record.topic(), record.headers(), record.value().getBytes(StandardCharsets.UTF_8));
    assertEquals(event.getString("id"), decoded.getId());
    assertEquals(event.getString("type"), decoded.getType());
    assertEquals(event.getString("subject"), decoded.getSubject());
    return event;
  }

  /** A record of task-events.dlq: its headers as described; its value is what was refused. */
  static void assertDeadLetter(ConsumerRecord<String, String> record) {
    assertMatches(EVENTS + "#/$defs/deadLetterHeaders", headers(record));
  }

  /**
   * A dead letter of a record the relay wrote: besides its own headers, it keeps the record's, so
   * the CloudEvents SDK reads it as the event it was.
   */
  static void assertDeadLetterOfEvent(ConsumerRecord<String, String> record) {
    assertDeadLetter(record);
    JsonObject event = new JsonObject(record.value());
    assertValid(event);
    assertEquals(event.getString("type"), headers(record).getString("ce_type"));
    CloudEvent decoded =
        CLOUD_EVENTS.deserialize(
            record.topic(), record.headers(), record.value().getBytes(StandardCharsets.UTF_8));
    assertEquals(event.getString("id"), decoded.getId());
    assertEquals(event.getString("type"), decoded.getType());
  }

  /** A frame a bridge client received, by the named definition of bridge.json. */
  static void assertFrame(String definition, JsonObject frame) {
    assertMatches(BRIDGE + "#/$defs/" + definition, frame);
  }

  private static void assertMatches(String schema, JsonObject json) {
    OutputUnit result = validator(schema).validate(json);
    assertTrue(
        result.getValid(),
        () -> "does not match " + schema + ": " + result + "\n" + json.encodePrettily());
  }

  private static Validator validator(String schema) {
    return VALIDATORS.computeIfAbsent(
        schema, ref -> REPOSITORY.validator(JsonSchema.of(new JsonObject().put("$ref", ref))));
  }

  /** Kafka headers as a JSON object of their UTF-8 text, a repeated name as its last value. */
  static JsonObject headers(ConsumerRecord<String, String> record) {
    JsonObject headers = new JsonObject();
    for (Header header : record.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }

  private static CloudEventDeserializer cloudEvents() {
    CloudEventDeserializer deserializer = new CloudEventDeserializer();
    deserializer.configure(Map.of(), false);
    return deserializer;
  }

  private static JsonObject load(String resource) {
    try (InputStream in = EventSchemas.class.getResourceAsStream(resource)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private EventSchemas() {}
}
