package io.taskbus.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskbus.contracts.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class PushFrameTest {

  /** As the relay writes an event: the head printed by Vert.x, the stored data spliced in. */
  private static final String EVENT =
      new JsonObject()
          .put("specversion", "1.0")
          .put("id", "42")
          .put("type", "task.created")
          .put("source", "/taskbus/api")
          .put("subject", "0190f5a0-1b2c-7d3e-8f40-123456789abc")
          .put("time", "2026-11-21T10:00:00.123Z")
          .put("datacontenttype", "application/json")
          .put("userid", "zoë \"z\"")
          .put("seq", 7)
          .put(
              "data",
              new JsonObject()
                  .put(
                      "task",
                      new JsonObject()
                          .put("title", "naïve ☃ </script> \\ \u0001")
                          .put("estimate", 1.5)
                          .putNull("dueAt")
                          .put("tags", new JsonArray().add("a").add(2))))
          .encode();

  /** The bridge's own frame: the envelope it builds, with the body as a JsonObject, encoded. */
  private static JsonObject rec(Object body) {
    return new JsonObject()
        .put("type", "rec")
        .put("address", "user.zoë \"z\".tasks")
        .put("body", body);
  }

  @Test
  void anEventGoesOutAsTheBridgeWouldPrintIt() {
    assertEquals(
        rec(new JsonObject(EVENT)).toBuffer(), PushFrame.of(rec(Event.of(EVENT))), "byte for byte");
  }

  @Test
  void headersAndReplyAddressesStayWhereTheBridgePutsThem() {
    JsonObject headers = new JsonObject().put("traceparent", "00-abc-def-01");
    assertEquals(
        rec(new JsonObject(EVENT)).put("replyAddress", "r-1").put("headers", headers).toBuffer(),
        PushFrame.of(rec(Event.of(EVENT)).put("replyAddress", "r-1").put("headers", headers)));
  }

  @Test
  void theEventsTextIsWrittenAsItCame() {
    String spaced = "{\"id\": \"1\", \"userid\": \"a\", \"data\": {\"n\": 1.50}}";
    assertEquals(
        "{\"type\":\"rec\",\"address\":\"user.zoë \\\"z\\\".tasks\",\"body\":" + spaced + "}",
        PushFrame.of(rec(Event.of(spaced))).toString());
  }

  @Test
  void otherBodiesAreEncodedAsBefore() {
    JsonObject notification = rec(new JsonObject().put("title", "due"));
    assertEquals(notification.toBuffer(), PushFrame.of(notification));
  }
}
