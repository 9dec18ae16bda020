package io.taskbus.kafka;

import io.taskbus.contracts.Tracing;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;

/** Reads what the relay wrote in a record's headers. */
final class Envelopes {

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
