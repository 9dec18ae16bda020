package io.taskbus.contracts;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/**
 * The CloudEvent of an outbox row, as the relay sends it to Kafka and the reminder timers hand it
 * to the notifications of their own process: one builder, so both ways carry the same event and its
 * id makes the second arrival a no-op.
 */
public final class OutboxEvent {

  /**
   * The event of a row with the columns id, user_id, seq, type, subject, time, request_id and data
   * (the stored JSON as text).
   */
  public static String json(Row row) {
    return withData(
        head(
            row.getLong("id"),
            row.getString("type"),
            row.getString("subject"),
            row.getOffsetDateTime("time"),
            row.getString("user_id"),
            row.getLong("seq"),
            row.getString("request_id")),
        row.getString("data"));
  }

  static JsonObject head(
      long id,
      String type,
      String subject,
      OffsetDateTime time,
      String userId,
      long seq,
      String requestId) {
    JsonObject head =
        new JsonObject()
            .put(Envelope.SPECVERSION, Envelope.SPECVERSION_VALUE)
            .put(Envelope.ID, Long.toString(id))
            .put(Envelope.TYPE, type)
            .put(Envelope.SOURCE, Envelope.SOURCE_VALUE)
            .put(Envelope.SUBJECT, subject)
            .put(Envelope.TIME, time.toInstant().toString())
            .put(Envelope.DATACONTENTTYPE, "application/json")
            .put(Envelope.USER_ID, userId)
            .put(Envelope.SEQ, seq);
    if (requestId != null) {
      head.put(Envelope.REQUEST_ID, requestId);
    }
    return head;
  }

  /**
   * Splices the stored data JSON in as it is: parsing it only to print it again costs the relay.
   */
  static String withData(JsonObject head, String dataJson) {
    String encoded = head.encode();
    return encoded.substring(0, encoded.length() - 1)
        + ",\""
        + Envelope.DATA
        + "\":"
        + dataJson
        + "}";
  }

  private OutboxEvent() {}
}
