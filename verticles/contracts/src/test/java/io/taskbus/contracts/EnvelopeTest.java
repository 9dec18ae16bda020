package io.taskbus.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

  @Test
  void aBodyIsReadAsTheEnvelopeWhateverItsForm() {
    JsonObject event = new JsonObject().put(Envelope.ID, "1").put(Envelope.TYPE, "task.created");
    assertSame(event, Envelope.json(event));
    assertEquals(event, Envelope.json(event.encode()));
    assertEquals(event, Envelope.json(Buffer.buffer(event.encode())));
    assertEquals(event.encode(), Envelope.text(event));
    assertEquals(event.encode(), Envelope.text(event.encode()));
    assertEquals(event.encode(), Envelope.text(Buffer.buffer(event.encode())));
  }

  @Test
  void whatIsNoJsonObjectIsRefused() {
    for (Object body : new Object[] {null, "not json", "[1, 2]", 42, Buffer.buffer("{")}) {
      assertThrows(IllegalArgumentException.class, () -> Envelope.json(body), String.valueOf(body));
    }
  }
}
