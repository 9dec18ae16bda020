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
 * for every connection it is pushed to. That text is what Vert.x prints for the same object (the
 * relay writes it compactly, in the order parsing keeps), so the frame is the same byte for byte.
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
