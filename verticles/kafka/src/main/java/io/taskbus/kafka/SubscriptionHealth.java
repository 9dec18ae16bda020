package io.taskbus.kafka;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What a subscription tells readiness and {@code /health}: its partitions, lag, parked records and
 * last progress, read from what it keeps anyway (the lag {@link SubscriptionMetrics} measures every
 * few seconds, the offsets it commits), so a probe never asks Kafka. Each partition has its own
 * {@link ProgressWatch}: records past its committed offset and no commit for {@code stallAfterMs}
 * make the subscription stalled. Per partition, because one record parked at a partition's head
 * holds that partition's offset while the others move on. A {@code stallAfterMs} of {@link #NEVER}
 * turns the rule off. Used on the subscription's context only.
 */
final class SubscriptionHealth {

  /** The {@code stallAfterMs} of a subscription that is never stalled. */
  static final long NEVER = 0;

  private final String group;
  private final String topic;
  private final String mode;
  private final long stallAfterMs;
  private final LongSupplier clock;
  private final Map<TopicPartition, ProgressWatch> partitions = new HashMap<>();
  private Map<TopicPartition, Long> lag = Map.of();
  private long lagMeasuredAt;

  SubscriptionHealth(
      String group, String topic, String mode, long stallAfterMs, LongSupplier clock) {
    this.group = group;
    this.topic = topic;
    this.mode = mode;
    this.stallAfterMs = stallAfterMs;
    this.clock = clock;
  }

  /** The lag of each assigned partition, as just measured: the assignment is these partitions. */
  void measured(Map<TopicPartition, Long> lagByPartition) {
    partitions.keySet().retainAll(lagByPartition.keySet());
    lagByPartition.forEach((tp, records) -> watch(tp).waiting(records > 0));
    lag = Map.copyOf(lagByPartition);
    lagMeasuredAt = clock.getAsLong();
  }

  /** The partition's committed position moved (or, for live fan-out, a record went out). */
  void progressed(TopicPartition tp) {
    watch(tp).progressed();
  }

  private ProgressWatch watch(TopicPartition tp) {
    return partitions.computeIfAbsent(tp, k -> new ProgressWatch(stallAfterMs, clock));
  }

  /** The numbers of the stalled partitions, ascending; empty when none is. */
  List<Integer> stalled() {
    if (stallAfterMs == NEVER) {
      return List.of();
    }
    return partitions.entrySet().stream()
        .filter(e -> e.getValue().stalled())
        .map(e -> e.getKey().getPartition())
        .sorted()
        .toList();
  }

  /** A sentence naming the subscription when it is stalled; else null. */
  String problem() {
    List<Integer> stalled = stalled();
    if (stalled.isEmpty()) {
      return null;
    }
    return "subscription "
        + group
        + " on "
        + topic
        + ": records wait on partitions "
        + stalled
        + " with no progress for "
        + longestWaitMs() / 1000
        + " s (stallAfterMs "
        + stallAfterMs
        + ")";
  }

  JsonObject detail(int parked) {
    long lastProgress =
        partitions.values().stream().mapToLong(ProgressWatch::lastProgressAt).max().orElse(0);
    List<Integer> stalled = stalled();
    JsonObject detail =
        new JsonObject()
            .put("group", group)
            .put("topic", topic)
            .put("mode", mode)
            .put(
                "partitions",
                new JsonArray(
                    partitions.keySet().stream()
                        .map(TopicPartition::getPartition)
                        .sorted()
                        .toList()))
            .put("lag", lag.values().stream().mapToLong(Long::longValue).sum())
            .put("lagMeasuredAt", ProgressWatch.time(lagMeasuredAt))
            .put("parked", parked)
            .put("lastProgressAt", ProgressWatch.time(lastProgress))
            .put("stalled", !stalled.isEmpty());
    if (stallAfterMs != NEVER) {
      detail.put("stallAfterMs", stallAfterMs);
    }
    if (!stalled.isEmpty()) {
      detail.put("stalledPartitions", new JsonArray(stalled)).put("waitedMs", longestWaitMs());
    }
    return detail;
  }

  private long longestWaitMs() {
    return partitions.values().stream().mapToLong(ProgressWatch::waitedMs).max().orElse(0);
  }
}
