package io.taskbus.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * A durable subscription's meters, tagged by group and topic: {@code taskbus.consumer.lag}, records
 * in its assigned partitions past its committed offsets, measured every few seconds through the
 * consumer (which is not safe to touch directly); {@code taskbus.consumer.parked}, records waiting
 * for their consumer to come back; {@code taskbus.consumer.deadlettered}, records given up on. Each
 * measurement also goes to the subscription's {@link SubscriptionHealth}.
 */
final class SubscriptionMetrics {

  /** Set before the consumer closes: a measurement under way then stops at its next step. */
  private volatile boolean stopped;

  private static final long PERIOD_MS = 5_000;

  private final Vertx vertx;
  private final KafkaConsumer<String, String> consumer;
  private final AtomicLong lag = new AtomicLong();

  /** Where the gauge went: the JVM's default registry may be another by the time we stop. */
  private final MeterRegistry registry;

  private final List<Meter> meters = new ArrayList<>();
  private final AtomicLong deadLettered = new AtomicLong();
  private final long timer;
  private final SubscriptionHealth health;

  SubscriptionMetrics(
      Vertx vertx,
      KafkaConsumer<String, String> consumer,
      String group,
      String topic,
      IntSupplier parked,
      SubscriptionHealth health) {
    this.vertx = vertx;
    this.health = health;
    this.consumer = consumer;
    registry = BackendRegistries.getDefaultNow();
    if (registry != null) {
      meters.add(
          Gauge.builder("taskbus.consumer.lag", lag, AtomicLong::get)
              .description("Records not yet committed by a subscription's consumer group")
              .tag("group", group)
              .tag("topic", topic)
              .register(registry));
      meters.add(
          Gauge.builder("taskbus.consumer.parked", parked, IntSupplier::getAsInt)
              .description(
                  "Records waiting for their consumer (away, or its database is) to take them")
              .tag("group", group)
              .tag("topic", topic)
              // a gauge holds its object weakly: the subscription's lambda, held by nobody else,
              // was collected and the gauge read NaN (so no alert on parked records could fire)
              .strongReference(true)
              .register(registry));
      meters.add(
          FunctionCounter.builder("taskbus.consumer.deadlettered", deadLettered, AtomicLong::get)
              .description("Records a consumer refused until they went to the dead-letter topic")
              .tag("group", group)
              .tag("topic", topic)
              .register(registry));
    }
    timer = vertx.setPeriodic(PERIOD_MS, id -> measure());
  }

  void deadLettered() {
    deadLettered.incrementAndGet();
  }

  private void measure() {
    if (stopped) {
      return;
    }
    consumer
        .assignment()
        .compose(
            partitions -> {
              if (partitions.isEmpty()) {
                return Future.succeededFuture(Map.<TopicPartition, Long>of());
              }
              // the consumer's thread refuses work once it is closed, by throwing, not failing
              if (stopped) {
                return Future.failedFuture("stopped");
              }
              return consumer
                  .endOffsets(partitions)
                  .compose(
                      ends -> {
                        if (stopped) {
                          return Future.failedFuture("stopped");
                        }
                        List<TopicPartition> order = new ArrayList<>(partitions);
                        List<Future<Long>> perPartition = new ArrayList<>();
                        for (TopicPartition tp : order) {
                          long end = ends.getOrDefault(tp, 0L);
                          perPartition.add(
                              consumer
                                  .committed(tp)
                                  .map(c -> Math.max(0, end - (c == null ? 0 : c.getOffset()))));
                        }
                        return Future.all(perPartition)
                            .map(
                                all -> {
                                  Map<TopicPartition, Long> lags = new HashMap<>();
                                  for (int i = 0; i < order.size(); i++) {
                                    lags.put(order.get(i), perPartition.get(i).result());
                                  }
                                  return lags;
                                });
                      });
            })
        .onSuccess(
            lags -> {
              lag.set(lags.values().stream().mapToLong(Long::longValue).sum());
              health.measured(lags);
            });
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    meters.forEach(registry::remove);
  }
}
