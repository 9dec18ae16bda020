package io.taskbus.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class OutboxEventTest {

  @Test
  void cloudEventWithDataSplicedIn() {
    JsonObject event =
        new JsonObject(
            OutboxEvent.json(
                42,
                "task.created",
                "t-1",
                OffsetDateTime.parse("2026-01-31T09:00:00.123456-05:00"),
                "ann\"ie",
                7,
                null,
                "{\"task\":{\"title\":\"x\"}}"));
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

  @Test
  void theTextIsWhatJsonObjectWritesForAnyString() {
    String hostile = "q\"uote \\ back\u0001\n\t\u2028 é 😀 </script>";
    String written =
        OutboxEvent.json(
            9_007_199_254_740_993L,
            hostile,
            hostile,
            OffsetDateTime.parse("2026-03-29T01:30:00+01:00"),
            hostile,
            Long.MAX_VALUE,
            hostile,
            "{\"n\":1}");
    JsonObject expected =
        new JsonObject()
            .put("specversion", "1.0")
            .put("id", "9007199254740993")
            .put("type", hostile)
            .put("source", "/taskbus/api")
            .put("subject", hostile)
            .put("time", "2026-03-29T00:30:00Z")
            .put("datacontenttype", "application/json")
            .put("userid", hostile)
            .put("seq", Long.MAX_VALUE)
            .put("requestid", hostile)
            .put("data", new JsonObject().put("n", 1));
    assertEquals(expected.encode(), written);
    assertEquals(expected, new JsonObject(written));
  }
}
