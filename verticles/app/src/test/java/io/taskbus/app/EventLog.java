package io.taskbus.app;

import io.taskbus.contracts.Topics;
import io.taskbus.devstack.DevStack;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads task-events with a plain Kafka consumer, as any other system would. */
final class EventLog implements AutoCloseable {

  private final KafkaConsumer<String, String> consumer;
  final List<ConsumerRecord<String, String>> records = new ArrayList<>();

  EventLog(String topic) {
    this(DevStack.shared().kafkaBootstrapServers(), topic);
  }

  /** Of a broker other than the shared one. */
  EventLog(String bootstrapServers, String topic) {
    this(bootstrapServers, topic, java.util.Map.of());
  }

  /** Of a broker that wants more of its clients: {@code security} are client properties. */
  EventLog(String bootstrapServers, String topic, java.util.Map<String, String> security) {
    Properties props = new Properties();
    props.putAll(security);
    props.put("bootstrap.servers", bootstrapServers);
    props.put("enable.auto.commit", "false");
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  EventLog() {
    this(Topics.TASK_EVENTS);
  }

  /** Polls until {@code done} holds for the records read so far, or the timeout passes. */
  List<ConsumerRecord<String, String>> readUntil(
      Duration timeout, Predicate<List<ConsumerRecord<String, String>>> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(records) && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }

  /** Polls until {@code done} holds for the user's events read so far, or the timeout passes. */
  List<JsonObject> readUntilUser(Duration timeout, String user, Predicate<List<JsonObject>> done) {
    readUntil(timeout, rs -> done.test(eventsOfUser(user)));
    return eventsOfUser(user);
  }

  /** Reads everything the topic holds now: up to the end offsets it has when called. */
  List<ConsumerRecord<String, String>> readToEnd(Duration timeout) {
    java.util.Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not read to the end " + ends + " in " + timeout);
      }
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }

  /** The records of the user's events of the given type, in the order read. */
  List<ConsumerRecord<String, String>> ofUser(String user, String type) {
    return records.stream()
        .filter(
            r -> user.equals(r.key()) && type.equals(new JsonObject(r.value()).getString("type")))
        .toList();
  }

  /**
   * Reads until the user has {@code count} records (or the timeout passes), checks each against the
   * events' schema with its key and headers ({@link EventSchemas#assertRecord}), and returns their
   * events in the order read.
   */
  List<JsonObject> checkedEventsOfUser(String user, int count, Duration timeout) {
    readUntil(timeout, rs -> rs.stream().filter(r -> user.equals(r.key())).count() >= count);
    return records.stream()
        .filter(r -> user.equals(r.key()))
        .map(EventSchemas::assertRecord)
        .toList();
  }

  List<JsonObject> eventsOfUser(String user) {
    return records.stream()
        .filter(r -> user.equals(r.key()))
        .map(r -> new JsonObject(r.value()))
        .toList();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
