package io.taskbus.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskbus.contracts.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AuditRowTest {

  private static JsonObject event() {
    return new JsonObject()
        .put("specversion", "1.0")
        .put("id", "42")
        .put("type", "task.updated")
        .put("source", "/taskbus/api")
        .put("subject", "0190f5a0-1b2c-7d3e-8f40-123456789abc")
        .put("time", "2026-11-21T10:00:00.123Z")
        .put("userid", "alice")
        .put("seq", 7)
        .put("requestid", "r-1")
        .put(
            "data",
            new JsonObject()
                .put(
                    "task",
                    new JsonObject()
                        .put("title", "Quote \" and }")
                        .put("tags", new JsonArray().add("a").add("{b}")))
                .put(
                    "changes",
                    new JsonObject()
                        .put(
                            "title",
                            new JsonObject().put("old", "x").put("new", "Quote \" and }"))));
  }

  @Test
  void readsTheEnvelopeAndKeepsTheDataAsItsText() {
    JsonObject event = event();
    AuditRow row = AuditRow.of(event.encode());
    assertEquals(42, row.eventId());
    assertEquals("alice", row.userId());
    assertEquals("0190f5a0-1b2c-7d3e-8f40-123456789abc", row.subject());
    assertEquals("task.updated", row.type());
    assertEquals("2026-11-21T10:00:00.123Z", row.time());
    assertEquals(7L, row.seq());
    assertEquals("r-1", row.requestId());
    assertEquals(event.getJsonObject("data").encode(), row.data());
    assertEquals(row, AuditRow.of(Event.of(event.encode())), "an Event reads the same");
    assertEquals(row, AuditRow.of(event), "a JsonObject body reads the same");
    assertEquals(row, AuditRow.of(event.toBuffer()), "a Buffer body reads the same");
  }

  @Test
  void theDataIsStoredAsItCame() {
    // a replayed event's data as PostgreSQL's jsonb prints it: spaced, stored without a reprint
    String data = "{\"task\": {\"title\": \"x\"}, \"changes\": {}}";
    String json = event().put("data", "DATA").encode().replace("\"DATA\"", data);
    assertEquals(data, AuditRow.of(Event.of(json)).data());
  }

  @Test
  void optionalPartsMayBeMissing() {
    JsonObject event = event();
    event.remove("requestid");
    event.remove("seq");
    event.remove("data");
    AuditRow row = AuditRow.of(event.encode());
    assertNull(row.requestId());
    assertNull(row.seq());
    assertNull(row.data());
  }

  @Test
  void whatIsNoEnvelopeFails() {
    for (String bad :
        new String[] {
          "",
          "not json",
          "[1]",
          "{\"id\":\"1\"",
          "{} {}",
          event().put("id", "not-a-number").encode(),
          event().put("id", 42).encode(),
          event().put("time", "yesterday").encode(),
          event().put("seq", "7").encode(),
          event().put("data", "text").encode(),
          event().putNull("userid").encode(),
          event().put("subject", "").encode()
        }) {
      assertThrows(IllegalArgumentException.class, () -> AuditRow.of(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> AuditRow.of(42));
  }
}
