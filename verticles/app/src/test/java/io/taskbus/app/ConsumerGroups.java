package io.taskbus.app;

import io.taskbus.devstack.DevStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * What the subscriptions have done, as Kafka records it: their consumer groups' committed offsets.
 * An ack subscription hands several records on at once and they may finish out of order, but it
 * commits a partition's offset past a record only once that record and every one before it in the
 * partition were answered (OffsetTracker). So an offset past a record proves its consumer handled
 * it, which a later record's visible effect does not: that one may have finished first.
 */
final class ConsumerGroups {

  /** The subscriptions' groups, as conf/taskbus.yaml names them. */
  static final String AUDIT = "taskbus-audit";

  static final String RECURRENCE = "taskbus-recurrence";
  static final String NOTIFICATION = "taskbus-notification";

  /** Where a record is in its topic. */
  record Position(TopicPartition partition, long offset) {
    static Position of(ConsumerRecord<?, ?> record) {
      return new Position(new TopicPartition(record.topic(), record.partition()), record.offset());
    }

    static Position of(RecordMetadata sent) {
      return new Position(new TopicPartition(sent.topic(), sent.partition()), sent.offset());
    }
  }

  private static Admin admin;

  private static synchronized Admin admin() {
    if (admin == null) {
      Properties props = new Properties();
      props.put("bootstrap.servers", DevStack.shared().kafkaBootstrapServers());
      admin = Admin.create(props);
      Admin created = admin;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> created.close(Duration.ofSeconds(2))));
    }
    return admin;
  }

  /** The group's committed offset (the next record it will read) per partition. */
  static Map<TopicPartition, Long> committed(String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin()
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
    Map<TopicPartition, Long> result = new HashMap<>();
    offsets.forEach(
        (tp, om) -> {
          if (om != null) {
            result.put(tp, om.offset());
          }
        });
    return result;
  }

  /** Whether the group's committed offsets have passed every one of the records. */
  static boolean handled(String group, Collection<Position> records) throws Exception {
    Map<TopicPartition, Long> committed = committed(group);
    return records.stream().allMatch(p -> committed.getOrDefault(p.partition(), 0L) > p.offset());
  }

  /**
   * Waits until the group has handled every one of the records, or fails saying where it stands.
   */
  static void awaitHandled(String group, Collection<Position> records, Duration timeout)
      throws Exception {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("no records to wait for");
    }
    boolean done = TestSystem.eventually(timeout, () -> handled(group, records), d -> d);
    if (!done) {
      throw new AssertionError(
          group
              + " did not commit past "
              + records
              + " in "
              + timeout
              + "; committed: "
              + committed(group));
    }
  }

  /** How many members of the group hold partitions now (0 while it rebalances). */
  static long membersWithPartitions(String group) throws Exception {
    var description =
        admin().describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
    if (description.state() != ConsumerGroupState.STABLE) {
      return 0;
    }
    return description.members().stream()
        .filter(m -> !m.assignment().topicPartitions().isEmpty())
        .count();
  }

  /** The partitions of the topic the group gives the member of a process (client id by pid). */
  static Set<Integer> partitionsOf(String group, long pid) throws Exception {
    var description =
        admin().describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
    return description.members().stream()
        .filter(m -> m.clientId().equals("taskbus-" + pid))
        .flatMap(m -> m.assignment().topicPartitions().stream())
        .map(org.apache.kafka.common.TopicPartition::partition)
        .collect(Collectors.toSet());
  }

  /** The partition Kafka's default partitioner puts a key in. */
  static int partitionOf(String key, int partitions) {
    return org.apache.kafka.common.utils.Utils.toPositive(
            org.apache.kafka.common.utils.Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
        % partitions;
  }

  /** The end offset (the next record's) of each partition of the topic now. */
  static Map<TopicPartition, Long> ends(String topic) throws Exception {
    List<TopicPartition> partitions = partitions(topic);
    return admin()
        .listOffsets(
            partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())))
        .all()
        .get(10, TimeUnit.SECONDS)
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  /** Waits until the group has handled everything the topic holds now. */
  static void awaitCaughtUp(String group, String topic, Duration timeout) throws Exception {
    Map<TopicPartition, Long> ends = ends(topic);
    boolean done =
        TestSystem.eventually(
            timeout,
            () -> {
              Map<TopicPartition, Long> committed = committed(group);
              return ends.entrySet().stream()
                  .allMatch(e -> committed.getOrDefault(e.getKey(), 0L) >= e.getValue());
            },
            d -> d);
    if (!done) {
      throw new AssertionError(
          group
              + " did not catch up with "
              + ends
              + " in "
              + timeout
              + "; committed: "
              + committed(group));
    }
  }

  private static List<TopicPartition> partitions(String topic) throws Exception {
    return admin()
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get(10, TimeUnit.SECONDS)
        .get(topic)
        .partitions()
        .stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .toList();
  }

  /** Where the records are, per partition: the lowest offset of each. */
  static Map<TopicPartition, Long> firstPerPartition(Collection<Position> records) {
    return records.stream()
        .collect(Collectors.toMap(Position::partition, Position::offset, Math::min));
  }

  private ConsumerGroups() {}
}
