package io.taskbus.audit;

import io.taskbus.contracts.Envelope;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One audit row, read from an event envelope; a malformed envelope fails here, alone. */
record AuditRow(long eventId, String userId, String subject, String type, String time, Long seq,
    String requestId, String data) {

  static AuditRow of(JsonObject event) {
    long id = Long.parseLong(require(event, Envelope.ID));
    String time = require(event, Envelope.TIME);
    Instant.parse(time);
    JsonObject data = event.getJsonObject(Envelope.DATA);
    return new AuditRow(id, require(event, Envelope.USER_ID), require(event, Envelope.SUBJECT),
        require(event, Envelope.TYPE), time, event.getLong(Envelope.SEQ),
        event.getString(Envelope.REQUEST_ID), data == null ? null : data.encode());
  }

  private static String require(JsonObject event, String field) {
    String value = event.getString(field);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("event has no " + field);
    }
    return value;
  }
}
