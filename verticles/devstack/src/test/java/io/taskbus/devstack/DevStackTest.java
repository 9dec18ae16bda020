package io.taskbus.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.spi.EmbeddedInfrastructure;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevStackTest {

  @Test
  void isFoundByServiceLoader() {
    List<EmbeddedInfrastructure> found = new ArrayList<>();
    ServiceLoader.load(EmbeddedInfrastructure.class).forEach(found::add);
    assertEquals(1, found.size());
    assertTrue(found.get(0) instanceof DevStack);
  }

  @Test
  void servesPostgresAndKafka() throws Exception {
    DevStack stack = DevStack.shared();

    assertTrue(
        stack.postgresUri().matches("postgresql://postgres:\\w+@127\\.0\\.0\\.1:\\d+/postgres"),
        stack.postgresUri());
    try (Connection c = connect(stack);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select 1")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1));
    }

    assertTrue(stack.kafkaBootstrapServers().matches("127\\.0\\.0\\.1:\\d+"));
    String topic = "devstack-roundtrip-" + UUID.randomUUID();
    produce(stack, topic, "user-1", "hello");
    assertEquals(List.of("hello"), consumeAll(stack, topic, 1));
  }

  @Test
  void kafkaKeepsRecordsAcrossARestartOnTheSamePort() throws Exception {
    DevStack stack = DevStack.shared();
    String bootstrap = stack.kafkaBootstrapServers();
    String topic = "devstack-restart-" + UUID.randomUUID();
    produce(stack, topic, "user-1", "before restart");

    stack.stopKafka();
    stack.stopKafka();
    stack.startKafka();

    assertEquals(bootstrap, stack.kafkaBootstrapServers());
    assertEquals(List.of("before restart"), consumeAll(stack, topic, 1));
  }

  @Test
  void postgresKeepsRowsAcrossARestartOnTheSamePort() throws Exception {
    DevStack stack = DevStack.shared();
    String uri = stack.postgresUri();
    try (Connection c = connect(stack);
        Statement s = c.createStatement()) {
      s.execute("create table restart_probe (note text)");
      s.execute("insert into restart_probe values ('before restart')");
    }

    stack.stopPostgres();
    assertThrows(SQLException.class, () -> connect(stack).close());
    stack.stopPostgres();
    stack.startPostgres();

    assertEquals(uri, stack.postgresUri());
    assertEquals(List.of("before restart"), notes(stack));
  }

  @Test
  void keepsDataBetweenRunsOnTheSameDirectory(@TempDir Path dir) throws Exception {
    DevStack first = new DevStack();
    first.start(dir);
    String topic = "devstack-rerun";
    try (Connection c = connect(first);
        Statement s = c.createStatement()) {
      s.execute("create table restart_probe (note text)");
      s.execute("insert into restart_probe values ('first run')");
    }
    produce(first, topic, "user-1", "first run");
    String clusterId = Files.readString(dir.resolve("kafka/meta.properties"));
    first.close();
    first.close();

    DevStack second = new DevStack();
    try {
      second.start(dir);
      assertEquals(List.of("first run"), notes(second));
      assertEquals(List.of("first run"), consumeAll(second, topic, 1));
      assertEquals(clusterId, Files.readString(dir.resolve("kafka/meta.properties")));
    } finally {
      second.close();
    }
  }

  private static List<String> notes(DevStack stack) throws SQLException {
    List<String> notes = new ArrayList<>();
    try (Connection c = connect(stack);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select note from restart_probe")) {
      while (rs.next()) {
        notes.add(rs.getString(1));
      }
    }
    return notes;
  }

  private static Connection connect(DevStack stack) throws SQLException {
    URI uri = URI.create(stack.postgresUri());
    String[] credentials = uri.getUserInfo().split(":", 2);
    return DriverManager.getConnection(
        "jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(),
        credentials[0],
        credentials[1]);
  }

  private static void produce(DevStack stack, String topic, String key, String value)
      throws Exception {
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.kafkaBootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  private static List<String> consumeAll(DevStack stack, String topic, int expected) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.kafkaBootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "devstack-test-" + UUID.randomUUID(),
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class);
    List<String> values = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}
