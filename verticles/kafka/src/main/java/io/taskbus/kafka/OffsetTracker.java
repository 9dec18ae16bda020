package io.taskbus.kafka;

import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which offsets may be committed: records finish out of order, but a partition's committed offset
 * only ever passes records that are done, so a crash redelivers and never skips.
 */
final class OffsetTracker {

  private static final class PartitionState {
    final TreeSet<Long> pending = new TreeSet<>();
    long highestSeen = -1;
    long committed = -1;
  }

  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();

  void received(TopicPartition tp, long offset) {
    PartitionState state = partitions.computeIfAbsent(tp, k -> new PartitionState());
    state.pending.add(offset);
    state.highestSeen = Math.max(state.highestSeen, offset);
  }

  void done(TopicPartition tp, long offset) {
    PartitionState state = partitions.get(tp);
    if (state != null) {
      state.pending.remove(offset);
    }
  }

  void forget(TopicPartition tp) {
    partitions.remove(tp);
  }

  /** The next offset to read per partition, for partitions that moved since the last call. */
  Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
    partitions.forEach(
        (tp, state) -> {
          long next = state.pending.isEmpty() ? state.highestSeen + 1 : state.pending.first();
          if (next > state.committed && next > 0) {
            state.committed = next;
            result.put(tp, new OffsetAndMetadata(next, ""));
          }
        });
    return result;
  }

  /** Called when a commit failed, so the same offsets are offered again. */
  void uncommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (tp, om) -> {
          PartitionState state = partitions.get(tp);
          if (state != null && state.committed == om.getOffset()) {
            state.committed = -1;
          }
        });
  }
}
