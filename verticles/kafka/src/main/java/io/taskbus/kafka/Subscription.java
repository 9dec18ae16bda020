package io.taskbus.kafka;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.taskbus.contracts.ConfigValues;
import io.taskbus.contracts.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.function.Supplier;

/**
 * Moves one topic's records onto the event bus. Config: {@code topic}, {@code group}, {@code
 * address} (may contain {@code {userId}}, replaced by the record key), {@code mode} ({@code ack} or
 * {@code publish}), {@code stallAfterMs} (see {@link SubscriptionHealth}).
 */
interface Subscription {

  Future<Void> start();

  Future<Void> stop();

  /** Its partitions, lag and progress for readiness and {@code /health}. */
  SubscriptionHealth health();

  /** Records waiting for their consumer to come back. */
  int parked();

  static Subscription from(
      Vertx vertx, KafkaSettings settings, JsonObject own, KafkaProducer<String, String> producer) {
    JsonObject config = settings.subscription(own);
    String mode = ConfigValues.string(config, "mode");
    return switch (mode) {
      case "ack" -> {
        long yieldAfterMs = ConfigValues.longValue(config, "yieldAfterMs");
        Supplier<AckSubscription> member =
            () -> new AckSubscription(vertx, settings, config, producer);
        yield yieldAfterMs > 0
            ? new YieldingSubscription(vertx, member, yieldAfterMs)
            : member.get();
      }
      case "publish" -> new PublishSubscription(vertx, settings, config);
      default ->
          throw new IllegalArgumentException(
              "subscription mode must be ack or publish, not " + mode);
    };
  }

  /**
   * The span of handing one record on, a child of the trace the relay wrote into it; invalid when
   * it carries none (written before tracing was on, or not by the relay).
   */
  static Span span(String group, KafkaConsumerRecord<String, String> record) {
    if (!Tracing.enabled()) {
      return Span.getInvalid();
    }
    String parent = Envelopes.traceparent(record);
    if (parent == null) {
      return Span.getInvalid();
    }
    return Tracing.start("process " + record.topic(), SpanKind.CONSUMER, parent)
        .setAttribute("messaging.system", "kafka")
        .setAttribute("messaging.destination.name", record.topic())
        .setAttribute("messaging.consumer.group.name", group)
        .setAttribute("messaging.kafka.offset", record.offset());
  }

  static String address(String template, String userId) {
    return template.replace(
        io.taskbus.contracts.Addresses.USER_ID_PLACEHOLDER, String.valueOf(userId));
  }
}
