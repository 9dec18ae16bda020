package io.taskbus.contracts;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Attribute names of the one event envelope used on the bus, in Kafka and on the bridge:
 * CloudEvents 1.0 in structured JSON mode, with taskbus extensions.
 */
public final class Envelope {

  public static final String SPECVERSION = "specversion";
  public static final String SPECVERSION_VALUE = "1.0";

  /** The outbox id, as a string: unique and the idempotency key of every consumer. */
  public static final String ID = "id";

  public static final String TYPE = "type";
  public static final String SOURCE = "source";
  public static final String SOURCE_VALUE = "/taskbus/api";

  /** The task id. */
  public static final String SUBJECT = "subject";

  public static final String TIME = "time";
  public static final String DATACONTENTTYPE = "datacontenttype";
  public static final String DATA = "data";

  /** Extension: the user who owns the task (and the Kafka key). */
  public static final String USER_ID = "userid";

  /** Extension: per-user sequence number, only ever grows. */
  public static final String SEQ = "seq";

  /** Extension: the id of the HTTP request that caused the change, when there was one. */
  public static final String REQUEST_ID = "requestid";

  /**
   * The failure code a consumer of an ack subscription gives a record that is bad: retried a few
   * times, then written to the dead-letter topic.
   */
  public static final int REFUSED = 400;

  /**
   * The failure code a consumer gives when what it needs (its database, the API) is away: the
   * record is not at fault, so it waits and is tried again, never dead-lettered; an HTTP request
   * that meets it is answered 503.
   */
  public static final int UNAVAILABLE = 503;

  /** Inside {@code data}: the task after the change. */
  public static final String DATA_TASK = "task";

  /** Inside {@code data}: changed fields as {@code {field: {old, new}}}. */
  public static final String DATA_CHANGES = "changes";

  private Envelope() {}

  /**
   * The envelope in a bus message. Ack subscriptions hand on a record's JSON text as it is (a
   * String goes through the bus without a copy), so each consumer parses only what it needs.
   *
   * @throws IllegalArgumentException when the body is no JSON object
   */
  public static JsonObject json(Object body) {
    if (body instanceof JsonObject object) {
      return object;
    }
    String text = text(body);
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
    }
  }

  /**
   * The JSON text of a bus message's body, for a consumer that reads the envelope its own way: the
   * text itself, or a Buffer's or a JsonObject's (from a sender that put one on the bus).
   *
   * @throws IllegalArgumentException when the body is none of those
   */
  public static String text(Object body) {
    if (body instanceof String text) {
      return text;
    }
    if (body instanceof Buffer buffer) {
      return buffer.toString();
    }
    if (body instanceof JsonObject object) {
      return object.encode();
    }
    throw new IllegalArgumentException(
        "not a JSON object: " + (body == null ? "no body" : body.getClass().getSimpleName()));
  }

  /**
   * The envelope of an ack subscription's message, or null once the message was failed with 400:
   * what is no JSON object will not become one on a retry.
   */
  public static JsonObject json(Message<?> message) {
    try {
      return json(message.body());
    } catch (IllegalArgumentException e) {
      message.fail(REFUSED, e.getMessage());
      return null;
    }
  }
}
