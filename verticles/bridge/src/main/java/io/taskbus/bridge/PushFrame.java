package io.taskbus.bridge;

import io.taskbus.contracts.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The bytes of a push to a browser: the bridge's {@code rec} frame ({@code type}, {@code address},
 * {@code body}, and {@code headers} when the message has any), as the bridge itself would encode
 * it. An {@link Event} body goes in as the JSON text it came with: the payload is not printed again
 * for every connection it is pushed to. For a task event that text is what Vert.x would print for
 * the same object (the api writes its data compactly, the relay the head), so the frame is the same
 * byte for byte; a reminder's data keeps the spacing PostgreSQL gave it (the same JSON).
 */
final class PushFrame {

  static Buffer of(JsonObject envelope) {
    Map<String, Object> fields = envelope.getMap();
    Event event = fields.get("body") instanceof Event e ? e : null;
    if (event == null) {
      return envelope.toBuffer();
    }
    StringBuilder frame = new StringBuilder(event.json().length() + 128).append('{');
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      if (frame.length() > 1) {
        frame.append(',');
      }
      frame.append(Json.encode(field.getKey())).append(':');
      Object value = field.getValue();
      frame.append(value == event ? event.json() : Json.encode(value));
    }
    return Buffer.buffer(frame.append('}').toString());
  }

  private PushFrame() {}
}
