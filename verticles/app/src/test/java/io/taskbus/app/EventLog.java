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
    Properties props = new Properties();
    props.put("bootstrap.servers", DevStack.shared().kafkaBootstrapServers());
    props.put("enable.auto.commit", "false");
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  EventLog() {
    this(Topics.TASK_EVENTS);
  }

  /** Polls until {@code done} holds for the records read so far, or the timeout passes. */
  List<ConsumerRecord<String, String>> readUntil(Duration timeout,
      Predicate<List<ConsumerRecord<String, String>>> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(records) && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    return records;
  }

  List<JsonObject> eventsOfUser(String user) {
    return records.stream().filter(r -> user.equals(r.key()))
        .map(r -> new JsonObject(r.value())).toList();
  }

  @Override
  public void close() {
    consumer.close();
  }
}
