package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Checks events the tests observe against the published JSON Schema in contracts. */
final class EventSchemas {

  private static final Validator VALIDATOR =
      Validator.create(
          JsonSchema.of(load("/schemas/task-events.json")),
          new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://taskbus.io/"));

  static void assertValid(JsonObject event) {
    OutputUnit result = VALIDATOR.validate(event);
    assertTrue(
        result.getValid(),
        () -> "event does not match its schema: " + result + "\n" + event.encodePrettily());
  }

  static boolean valid(JsonObject event) {
    return VALIDATOR.validate(event).getValid();
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
