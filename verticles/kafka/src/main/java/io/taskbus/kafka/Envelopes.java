package io.taskbus.kafka;

import io.taskbus.contracts.Envelope;
import io.taskbus.contracts.Tracing;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.OffsetDateTime;

/** Builds the CloudEvents envelope of an outbox row, and reads a record's event type. */
final class Envelopes {

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

  /** The event type the relay wrote in the record's header, or null: not a taskbus event. */
  static String type(KafkaConsumerRecord<String, String> record) {
    return header(record, OutboxRelay.TYPE_HEADER);
  }

  /** The trace context the relay wrote in the record's header, or null. */
  static String traceparent(KafkaConsumerRecord<String, String> record) {
    return header(record, Tracing.TRACEPARENT);
  }

  private static String header(KafkaConsumerRecord<String, String> record, String name) {
    for (var header : record.headers()) {
      if (name.equals(header.key())) {
        return header.value().toString();
      }
    }
    return null;
  }

  private Envelopes() {}
}
