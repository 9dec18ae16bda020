package io.taskbus.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code taskbus.consumer.lag}: records in a subscription's assigned partitions past its committed
 * offsets, measured every few seconds through the consumer (which is not safe to touch directly).
 */
final class ConsumerLag {

  private static final long PERIOD_MS = 5_000;

  private final Vertx vertx;
  private final KafkaConsumer<String, String> consumer;
  private final AtomicLong lag = new AtomicLong();
  /** Where the gauge went: the JVM's default registry may be another by the time we stop. */
  private final MeterRegistry registry;
  private final Gauge gauge;
  private final long timer;

  ConsumerLag(Vertx vertx, KafkaConsumer<String, String> consumer, String group, String topic) {
    this.vertx = vertx;
    this.consumer = consumer;
    registry = BackendRegistries.getDefaultNow();
    gauge = registry == null ? null : Gauge.builder("taskbus.consumer.lag", lag, AtomicLong::get)
        .description("Records not yet committed by a subscription's consumer group")
        .tag("group", group).tag("topic", topic).register(registry);
    timer = vertx.setPeriodic(PERIOD_MS, id -> measure());
  }

  private void measure() {
    consumer.assignment().compose(partitions -> {
      if (partitions.isEmpty()) {
        return Future.succeededFuture(0L);
      }
      return consumer.endOffsets(partitions).compose(ends -> {
        List<Future<Long>> perPartition = new ArrayList<>();
        for (TopicPartition tp : partitions) {
          long end = ends.getOrDefault(tp, 0L);
          perPartition.add(consumer.committed(tp)
              .map(c -> Math.max(0, end - (c == null ? 0 : c.getOffset()))));
        }
        return Future.all(perPartition).map(all -> perPartition.stream()
            .mapToLong(Future::result).sum());
      });
    }).onSuccess(lag::set);
  }

  void stop() {
    vertx.cancelTimer(timer);
    if (gauge != null) {
      registry.remove(gauge);
    }
  }
}
