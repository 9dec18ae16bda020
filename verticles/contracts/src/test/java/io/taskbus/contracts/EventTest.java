package io.taskbus.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTest {

  static JsonObject envelope() {
    return new JsonObject()
        .put("specversion", "1.0")
        .put("id", "42")
        .put("type", "task.updated")
        .put("source", "/taskbus/api")
        .put("subject", "0190f5a0-1b2c-7d3e-8f40-123456789abc")
        .put("time", "2026-11-21T10:00:00.123Z")
        .put("datacontenttype", "application/json")
        .put("userid", "alice")
        .put("seq", 7)
        .put("requestid", "r-1")
        .put(
            "data",
            new JsonObject()
                .put(
                    "task",
                    new JsonObject()
                        .put("title", "Quote \" and } and é")
                        .put("estimate", 1.5)
                        .put("tags", new JsonArray().add("a").add("{b}")))
                .put(
                    "changes",
                    new JsonObject()
                        .put("title", new JsonObject().put("old", "x").put("new", "y"))));
  }

  @Test
  void readsTheAttributesAndKeepsTheTextAsItCame() {
    // as the relay writes it: the stored data spliced in with its own spacing
    String data = "{\"task\": {\"title\": \"Quote \\\" and }\"}, \"changes\": {}}";
    JsonObject head = envelope();
    head.remove("data");
    String json =
        head.encode().substring(0, head.encode().length() - 1) + ",\"data\":" + data + "}";
    Event event = Event.of(json);
    assertSame(json, event.json());
    assertEquals(data, event.dataJson());
    assertEquals("42", event.id());
    assertEquals("task.updated", event.type());
    assertEquals("0190f5a0-1b2c-7d3e-8f40-123456789abc", event.subject());
    assertEquals("alice", event.userId());
    assertEquals("2026-11-21T10:00:00.123Z", event.time());
    assertEquals("r-1", event.requestId());
    assertEquals(7L, event.seq());
  }

  @Test
  void theViewReadsAsVertxReadsTheSameText() {
    JsonObject envelope = envelope();
    Event event = Event.of(envelope.encode());
    assertEquals(new JsonObject(envelope.encode()), event.view());
    assertSame(event.view(), event.view(), "parsed once");
    assertEquals(
        Double.class,
        event.view().getJsonObject("data").getJsonObject("task").getValue("estimate").getClass());
    assertEquals(Integer.class, event.view().getValue("seq").getClass());
    assertEquals(envelope.encode(), event.view().encode(), "in the order written");
    assertEquals(envelope.encode(), event.view().copy().encode(), "a copy keeps the order");
  }

  @Test
  void theViewRefusesEveryChange() {
    JsonObject view = Event.of(envelope().encode()).view();
    JsonObject task = view.getJsonObject("data").getJsonObject("task");
    JsonArray tags = task.getJsonArray("tags");
    for (Runnable change :
        new Runnable[] {
          () -> view.put("type", "task.deleted"),
          () -> view.remove("id"),
          () -> view.clear(),
          () -> view.mergeIn(new JsonObject().put("x", 1)),
          () -> view.getMap().entrySet().iterator().next().setValue("x"),
          () -> view.getMap().keySet().remove("id"),
          () -> view.getMap().values().clear(),
          () -> {
            Iterator<Map.Entry<String, Object>> it = view.iterator();
            it.next();
            it.remove();
          },
          () -> task.put("title", "changed"),
          () -> tags.add("c"),
          () -> tags.remove(0),
          () -> tags.getList().set(0, "z"),
        }) {
      assertThrows(UnsupportedOperationException.class, change::run);
    }
    assertEquals(envelope().encode(), view.encode(), "unchanged");
    JsonObject copy = view.copy();
    copy.getJsonObject("data").getJsonObject("task").put("title", "changed");
    assertEquals("changed", copy.getJsonObject("data").getJsonObject("task").getString("title"));
    assertEquals("Quote \" and } and é", task.getString("title"), "a copy is changed alone");
  }

  @Test
  void optionalAttributesMayBeMissing() {
    JsonObject envelope = envelope();
    envelope.remove("requestid");
    envelope.remove("seq");
    envelope.putNull("data");
    Event event = Event.of(envelope.encode());
    assertNull(event.requestId());
    assertNull(event.seq());
    assertNull(event.dataJson());
  }

  @Test
  void aBodyIsReadWhateverItsForm() {
    JsonObject envelope = envelope();
    Event event = Event.of(envelope.encode());
    assertSame(event, Event.from((Object) event));
    assertEquals(envelope.encode(), Event.from(envelope.encode()).json());
    assertEquals(envelope.encode(), Event.from(envelope.toBuffer()).json());
    assertEquals(envelope.encode(), Event.from(envelope).json());
    assertInstanceOf(Event.class, Event.from(envelope));
  }

  @Test
  void whatIsNoEnvelopeIsRefused() {
    for (Object body :
        new Object[] {
          null,
          42,
          "",
          "not json",
          "[1, 2]",
          "{\"id\":\"1\"",
          "{} {}",
          Buffer.buffer("{"),
          envelope().put("id", 42).encode(),
          envelope().put("type", new JsonObject()).encode(),
          envelope().put("userid", new JsonArray()).encode(),
          envelope().put("seq", "7").encode(),
          envelope().put("data", "text").encode()
        }) {
      assertThrows(IllegalArgumentException.class, () -> Event.from(body), String.valueOf(body));
    }
  }
}
