package io.taskbus.kafka;

import io.taskbus.contracts.Event;
import io.taskbus.contracts.Tracing;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live fan-out: each record is published once (one consumer group across all replicas).
 *
 * <p>Before it joins, the subscription gives each partition the group has no offset for the
 * partition's end as its offset. Kafka's own choice for such a partition, its end once the group's
 * first join has finished, came seconds after the start on a new broker, and the events written
 * meanwhile (a newcomer's first task) reached no browser. A partition with an offset resumes from
 * it, as any group member does.
 */
final class PublishSubscription implements Subscription {

  private static final Logger log = LoggerFactory.getLogger(PublishSubscription.class);

  private final Vertx vertx;
  private final String topic;
  private final String address;
  private final String group;
  private SubscriptionMetrics metrics;
  private volatile boolean stopping;
  private final KafkaConsumer<String, String> consumer;
  private final SubscriptionHealth health;

  PublishSubscription(Vertx vertx, KafkaSettings settings, JsonObject config) {
    this.vertx = vertx;
    this.topic = config.getString("topic");
    this.address = config.getString("address");
    this.group = config.getString("group");
    this.consumer =
        KafkaConsumer.create(vertx, settings.consumer(config, false), String.class, String.class);
    // never stalled: it publishes whether anyone listens, so no consumer can hold it back, and its
    // offsets are committed by the client every few seconds, out of its sight
    this.health =
        new SubscriptionHealth(
            group, topic, "publish", SubscriptionHealth.NEVER, System::currentTimeMillis);
  }

  @Override
  public Future<Void> start() {
    consumer.handler(this::publish);
    consumer.exceptionHandler(
        e -> {
          if (stopping) {
            log.debug("live subscription to {} while stopping: {}", topic, e.getMessage());
          } else {
            log.warn("live subscription to {}: {}", topic, e.getMessage());
          }
        });
    metrics = new SubscriptionMetrics(vertx, consumer, group, topic, () -> 0, health);
    return positionNewPartitions().compose(v -> consumer.subscribe(topic));
  }

  private void publish(KafkaConsumerRecord<String, String> record) {
    // taken from Kafka, whatever becomes of it: live fan-out commits what it read
    health.progressed(new TopicPartition(record.topic(), record.partition()));
    Event event = null;
    if (Envelopes.type(record) != null) {
      try {
        event = Event.of(record.value());
      } catch (IllegalArgumentException e) {
        // logged below
      }
    }
    // only what the relay wrote reaches a browser, and only at the address of the user it names:
    // anything else on the topic was written by hand or by mistake
    if (event == null || !String.valueOf(record.key()).equals(event.userId())) {
      log.warn(
          "skipping a record that is no taskbus event of its key's user on {} at {}-{}",
          topic,
          record.partition(),
          record.offset());
      return;
    }
    // every bridge connection of the user in this process is handed this one instance, and writes
    // its text to the browser as it came (EventCodec, BridgeGuard)
    Event published = event;
    Tracing.within(
        vertx,
        Subscription.span(group, record),
        () -> {
          vertx.eventBus().publish(Subscription.address(address, record.key()), published);
          return Future.succeededFuture();
        });
  }

  private Future<Void> positionNewPartitions() {
    return consumer
        .partitionsFor(topic)
        .compose(
            infos ->
                Future.all(
                    infos.stream()
                        .map(info -> new TopicPartition(topic, info.getPartition()))
                        .map(this::startOfNew)
                        .toList()))
        .compose(
            found -> {
              Map<TopicPartition, OffsetAndMetadata> starts = new HashMap<>();
              for (int i = 0; i < found.size(); i++) {
                Map.Entry<TopicPartition, Long> start = found.resultAt(i);
                if (start != null) {
                  starts.put(start.getKey(), new OffsetAndMetadata(start.getValue(), ""));
                }
              }
              return starts.isEmpty() ? Future.succeededFuture() : consumer.commit(starts);
            })
        .<Void>mapEmpty()
        // another member committed meanwhile (the group refuses a commit from outside while it has
        // members), or Kafka is slow: the partitions start where Kafka puts them
        .recover(
            e -> {
              log.debug("live subscription to {}: no start offsets: {}", topic, e.getMessage());
              return Future.succeededFuture();
            });
  }

  /** The partition's end, when the group has no offset for it; else null. */
  private Future<Map.Entry<TopicPartition, Long>> startOfNew(TopicPartition tp) {
    return consumer
        .committed(tp)
        .compose(
            committed ->
                committed != null
                    ? Future.succeededFuture()
                    : consumer.endOffsets(tp).map(end -> Map.entry(tp, end)));
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
  public SubscriptionHealth health() {
    return health;
  }

  @Override
  public int parked() {
    return 0;
  }

  @Override
  public String toString() {
    return group + " on " + topic;
  }
}
