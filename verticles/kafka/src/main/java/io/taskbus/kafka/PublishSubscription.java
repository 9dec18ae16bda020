package io.taskbus.kafka;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Live fan-out: each record is published once (one consumer group across all replicas). */
final class PublishSubscription implements Subscription {

  private static final Logger log = LoggerFactory.getLogger(PublishSubscription.class);

  private final Vertx vertx;
  private final String topic;
  private final String address;
  private final String group;
  private SubscriptionMetrics metrics;
  private volatile boolean stopping;
  private final KafkaConsumer<String, String> consumer;

  PublishSubscription(Vertx vertx, KafkaSettings settings, JsonObject config) {
    this.vertx = vertx;
    this.topic = config.getString("topic");
    this.address = config.getString("address");
    this.group = config.getString("group");
    this.consumer = KafkaConsumer.create(vertx, settings.consumer(config, false));
  }

  @Override
  public Future<Void> start() {
    consumer.handler(
        record -> {
          try {
            vertx
                .eventBus()
                .publish(
                    Subscription.address(address, record.key()), new JsonObject(record.value()));
          } catch (DecodeException e) {
            log.warn(
                "skipping a record that is not JSON on {} at {}-{}",
                topic,
                record.partition(),
                record.offset());
          }
        });
    consumer.exceptionHandler(
        e -> {
          if (stopping) {
            log.debug("live subscription to {} while stopping: {}", topic, e.getMessage());
          } else {
            log.warn("live subscription to {}: {}", topic, e.getMessage());
          }
        });
    metrics = new SubscriptionMetrics(vertx, consumer, group, topic, () -> 0);
    return consumer.subscribe(topic);
  }

  @Override
  public Future<Void> stop() {
    stopping = true;
    if (metrics != null) {
      metrics.stop();
    }
    return consumer.close();
  }

  @Override
  public String toString() {
    return group + " on " + topic;
  }
}
