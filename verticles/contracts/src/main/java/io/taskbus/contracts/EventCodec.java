package io.taskbus.contracts;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;

/**
 * The bus codec of {@link Event}, the default for that type once {@link #register registered}: a
 * delivery within the process hands every consumer the same instance (an Event is immutable, so
 * there is nothing to copy), and a delivery to another process carries the JSON text as received,
 * read there once.
 */
public final class EventCodec implements MessageCodec<Event, Event> {

  /** Its name on the wire: every process of a cluster registers it. */
  public static final String NAME = "taskbus.event";

  /** Makes it the codec of every Event this Vert.x sends; once per Vert.x instance. */
  public static void register(Vertx vertx) {
    vertx.eventBus().registerDefaultCodec(Event.class, new EventCodec());
  }

  @Override
  public void encodeToWire(Buffer buffer, Event event) {
    byte[] bytes = event.json().getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(bytes.length).appendBytes(bytes);
  }

  @Override
  public Event decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    int start = pos + 4;
    return Event.of(buffer.getString(start, start + length, StandardCharsets.UTF_8.name()));
  }

  @Override
  public Event transform(Event event) {
    return event;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
