package io.taskbus.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class OutboxEventTest {

  @Test
  void cloudEventWithDataSplicedIn() {
    JsonObject head =
        OutboxEvent.head(
            42,
            "task.created",
            "t-1",
            OffsetDateTime.parse("2026-01-31T09:00:00.123456-05:00"),
            "ann\"ie",
            7,
            null);
    JsonObject event = new JsonObject(OutboxEvent.withData(head, "{\"task\":{\"title\":\"x\"}}"));
    assertEquals("1.0", event.getString("specversion"));
    assertEquals("42", event.getString("id"));
    assertEquals("task.created", event.getString("type"));
    assertEquals("/taskbus/api", event.getString("source"));
    assertEquals("t-1", event.getString("subject"));
    assertEquals("2026-01-31T14:00:00.123456Z", event.getString("time"));
    assertEquals("ann\"ie", event.getString("userid"));
    assertEquals(7, event.getLong("seq"));
    assertFalse(event.containsKey("requestid"));
    assertEquals("x", event.getJsonObject("data").getJsonObject("task").getString("title"));
  }
}
