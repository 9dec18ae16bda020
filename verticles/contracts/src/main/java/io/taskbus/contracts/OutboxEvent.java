package io.taskbus.contracts;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
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
    return json(
        row.getLong("id"),
        row.getString("type"),
        row.getString("subject"),
        row.getOffsetDateTime("time"),
        row.getString("user_id"),
        row.getLong("seq"),
        row.getString("request_id"),
        row.getString("data"));
  }

  /**
   * The event's JSON with {@code dataJson} as its data, written directly: a JsonObject encoded per
   * row went through Jackson's databind and was two thirds of the relay's CPU per row
   * (perf/README.md, the relay scenario). The strings are escaped by Jackson's own encoder, so the
   * text is the one {@code JsonObject.encode} wrote.
   */
  static String json(
      long id,
      String type,
      String subject,
      OffsetDateTime time,
      String userId,
      long seq,
      String requestId,
      String dataJson) {
    StringBuilder json = new StringBuilder(320 + dataJson.length());
    json.append('{');
    field(json, Envelope.SPECVERSION, Envelope.SPECVERSION_VALUE).append(',');
    field(json, Envelope.ID, Long.toString(id)).append(',');
    field(json, Envelope.TYPE, type).append(',');
    field(json, Envelope.SOURCE, Envelope.SOURCE_VALUE).append(',');
    field(json, Envelope.SUBJECT, subject).append(',');
    field(json, Envelope.TIME, time.toInstant().toString()).append(',');
    field(json, Envelope.DATACONTENTTYPE, "application/json").append(',');
    field(json, Envelope.USER_ID, userId).append(',');
    json.append('"').append(Envelope.SEQ).append("\":").append(seq).append(',');
    if (requestId != null) {
      field(json, Envelope.REQUEST_ID, requestId).append(',');
    }
    // the stored data JSON spliced in as it is: parsing it only to print it again costs the relay
    return json.append('"')
        .append(Envelope.DATA)
        .append("\":")
        .append(dataJson)
        .append('}')
        .toString();
  }

  private static StringBuilder field(StringBuilder json, String name, String value) {
    json.append('"').append(name).append("\":\"");
    ESCAPE.quoteAsString(value, json);
    return json.append('"');
  }

  private static final JsonStringEncoder ESCAPE = JsonStringEncoder.getInstance();

  private OutboxEvent() {}
}
