package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.taskbus.contracts.Topics;
import io.taskbus.devstack.DevStack;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records on {@code task-events} are CloudEvents that someone else's software can read: the
 * CloudEvents Java SDK's Kafka deserializer decodes each of a user's records (structured mode, told
 * by the {@code content-type} header) into the event taskbus means.
 */
class CloudEventsIT {

  static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,kafka");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void theCloudEventsSdkReadsEveryEventOfAChange() throws Exception {
    String user = TestSystem.uniqueUser("ce");
    String id = system.createTask(user, "water the plants").getString("id");
    var done = system.call("POST", "/api/v1/tasks/" + id + "/complete", user, null);
    assertEquals(200, done.statusCode(), done.body());

    List<CloudEvent> events = new ArrayList<>();
    try (CloudEventDeserializer ce = new CloudEventDeserializer();
        KafkaConsumer<String, byte[]> consumer = consumer()) {
      ce.configure(Map.of(), false);
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.TASK_EVENTS).stream()
              .map(p -> new TopicPartition(Topics.TASK_EVENTS, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (events.size() < 2 && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (user.equals(r.key())) {
            events.add(ce.deserialize(r.topic(), r.headers(), r.value()));
          }
        }
      }
    }
    assertEquals(2, events.size(), "the create and the completion");
    assertEquals(
        List.of("task.created", "task.completed"),
        events.stream().map(CloudEvent::getType).toList());
    for (CloudEvent event : events) {
      assertEquals("1.0", event.getSpecVersion().toString());
      assertEquals(id, event.getSubject());
      assertNotNull(event.getSource());
      assertNotNull(event.getTime());
      assertTrue(event.getId().matches("\\d+"), event.getId());
      assertEquals(user, event.getExtension("userid"));
      JsonObject data =
          new JsonObject(new String(event.getData().toBytes(), StandardCharsets.UTF_8));
      assertEquals("water the plants", data.getJsonObject("task").getString("title"));
    }
  }

  private static KafkaConsumer<String, byte[]> consumer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", DevStack.shared().kafkaBootstrapServers());
    props.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
