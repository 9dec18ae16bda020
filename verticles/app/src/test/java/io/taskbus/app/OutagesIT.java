package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Topics;
import io.taskbus.devstack.DevStack;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka and PostgreSQL stopped and started again under a user's writes, on servers of this test's
 * own: nothing acknowledged is lost, the user's events reach Kafka once each and in order, the API
 * answers 503 with Retry-After while the database is away, and the log says each outage in two
 * lines, not a line per request or record.
 */
class OutagesIT {

  /** Longer than the 30 s after which the producer used to expire records (and reorder them). */
  private static final Duration KAFKA_AWAY =
      Duration.ofSeconds(Long.getLong("taskbus.chaos.kafkaAwaySeconds", 35));

  /** The servers' data; JUnit deletes it after the class's tests, once they are stopped. */
  @TempDir static Path data;

  private static DevStack servers;
  private static TestSystem system;
  private static final List<LogEvent> LOG = Collections.synchronizedList(new ArrayList<>());
  private static AbstractAppender capture;

  /**
   * The loggers of a taskbus process; the brokers run in this JVM too, but in production they are
   * servers of their own with logs of their own.
   */
  private static final List<String> TASKBUS_PROCESS =
      List.of("io.taskbus", "io.vertx", "io.netty", "org.apache.kafka.clients", "com.hazelcast");

  @BeforeAll
  static void start() throws Exception {
    servers = new DevStack();
    servers.start(data);
    system =
        TestSystem.start(
            "api,kafka",
            Map.of(
                "TASKBUS_PG_URL", servers.postgresUri(),
                "TASKBUS_KAFKA_BOOTSTRAPSERVERS", servers.kafkaBootstrapServers()));
    capture =
        new AbstractAppender("outages", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            LOG.add(event.toImmutable());
          }
        };
    capture.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().addAppender(capture, Level.WARN, null);
    context.updateLoggers();
  }

  @AfterAll
  static void stop() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender("outages");
    context.updateLoggers();
    system.close();
    servers.close();
  }

  @Test
  void kafkaAwayLosesNothingAndKeepsEachUsersOrder() throws Exception {
    // several users, so the relay's batches span partitions whose producer batches wait apart
    List<String> users = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      users.add(TestSystem.uniqueUser("kafka-away-" + i));
    }
    Map<String, List<String>> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
    users.forEach(u -> acknowledged.put(u, Collections.synchronizedList(new ArrayList<>())));
    java.util.concurrent.atomic.AtomicInteger total =
        new java.util.concurrent.atomic.AtomicInteger();
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Integer> refused = Collections.synchronizedList(new ArrayList<>());
    Thread writer =
        new Thread(
            () -> {
              int n = 0;
              while (writing.get()) {
                String user = users.get(n % users.size());
                try {
                  HttpResponse<String> created =
                      system.call(
                          "POST", "/api/v1/tasks", user, "{\"title\":\"write " + n++ + "\"}");
                  if (created.statusCode() == 201) {
                    acknowledged.get(user).add(new JsonObject(created.body()).getString("id"));
                    total.incrementAndGet();
                  } else {
                    refused.add(created.statusCode());
                  }
                } catch (Exception e) {
                  refused.add(-1);
                }
              }
            },
            "writer");
    writer.start();
    try (EventLog events = new EventLog(servers.kafkaBootstrapServers(), Topics.TASK_EVENTS)) {
      awaitCount(total, 50);
      LOG.clear();
      servers.stopKafka();
      int beforeOutage = total.get();
      long until = System.nanoTime() + KAFKA_AWAY.toNanos();
      while (System.nanoTime() < until) {
        Thread.sleep(200); // the outage is a span of time by nature: writes go on meanwhile
      }
      assertTrue(
          total.get() > beforeOutage + 50, () -> "writes stopped while Kafka was away: " + total);
      int duringOutage = total.get() - beforeOutage;
      servers.startKafka();
      long back = System.nanoTime();
      awaitCount(total, total.get() + 50);
      writing.set(false);
      writer.join(15_000);
      assertEquals(List.of(), refused, "writes refused while only Kafka was away");

      events.readUntil(
          Duration.ofSeconds(60),
          read ->
              users.stream().allMatch(u -> createdOf(read, u).containsAll(acknowledged.get(u))));
      System.out.printf(
          "chaos: Kafka away %d s: %d writes acknowledged meanwhile, every event of %d in Kafka"
              + " %.1f s after it was back%n",
          KAFKA_AWAY.toSeconds(), duringOutage, total.get(), (System.nanoTime() - back) / 1e9);
      for (String user : users) {
        List<Long> seqs =
            events.records.stream()
                .filter(r -> user.equals(r.key()))
                .map(r -> new JsonObject(r.value()).getLong("seq"))
                .toList();
        for (int i = 1; i < seqs.size(); i++) {
          long previous = seqs.get(i - 1);
          long current = seqs.get(i);
          int at = i;
          assertTrue(
              current == previous + 1,
              () -> user + ": seq " + current + " follows " + previous + " at " + at + ": " + seqs);
        }
        assertEquals(
            acknowledged.get(user),
            createdOf(events.records, user),
            "every acknowledged create of " + user + " once, in order");
      }
    } finally {
      writing.set(false);
      writer.join(15_000);
    }
    assertOutageLogged("Kafka");
  }

  @Test
  void postgresAwayIs503WithRetryAfterAndNothingAcknowledgedIsLost() throws Exception {
    String user = TestSystem.uniqueUser("pg-away");
    String kept = system.createTask(user, "written before").getString("id");
    LOG.clear();
    servers.stopPostgres();
    try {
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> refused =
            system.call("POST", "/api/v1/tasks", user, "{\"title\":\"while away " + i + "\"}");
        assertEquals(503, refused.statusCode(), refused::body);
        assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "Retry-After");
        assertEquals(
            "application/problem+json",
            refused.headers().firstValue("Content-Type").orElse(""),
            refused::body);
        HttpResponse<String> read = system.get("/api/v1/tasks/" + kept, user);
        assertEquals(503, read.statusCode(), read::body);
      }
    } finally {
      servers.startPostgres();
    }
    long back = System.nanoTime();
    HttpResponse<String> created = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      created = system.call("POST", "/api/v1/tasks", user, "{\"title\":\"after\"}");
      if (created.statusCode() == 201) {
        break;
      }
      Thread.sleep(100); // the pool reconnects on the next request
    }
    assertEquals(201, created.statusCode(), created.body());
    System.out.printf(
        "chaos: PostgreSQL away: 40 requests answered 503 with Retry-After; the first write"
            + " succeeded %.2f s after it was back%n",
        (System.nanoTime() - back) / 1e9);
    assertEquals(200, system.get("/api/v1/tasks/" + kept, user).statusCode());
    JsonObject list = new JsonObject(system.get("/api/v1/tasks?status=all", user).body());
    assertEquals(2, list.getJsonArray("items").size(), list::encodePrettily);
    assertOutageLogged("PostgreSQL");
  }

  /** Two lines for an outage (it began, it ended), no ERROR, no stack trace per failure. */
  private static void assertOutageLogged(String server) {
    List<String> lines;
    synchronized (LOG) {
      lines =
          LOG.stream()
              .filter(e -> TASKBUS_PROCESS.stream().anyMatch(e.getLoggerName()::startsWith))
              .map(
                  e ->
                      e.getLevel()
                          + " "
                          + e.getLoggerName()
                          + " "
                          + e.getMessage().getFormattedMessage())
              .toList();
    }
    long began = lines.stream().filter(l -> l.contains(" " + server + " is unreachable")).count();
    long ended =
        lines.stream().filter(l -> l.contains(" " + server + " is reachable again")).count();
    assertEquals(1, began, () -> "one line when " + server + " goes: " + lines);
    assertEquals(1, ended, () -> "one line when " + server + " is back: " + lines);
    assertTrue(
        lines.stream().noneMatch(l -> l.startsWith("ERROR") || l.contains("Unhandled exception")),
        () -> "errors logged: " + lines);
    assertTrue(lines.size() <= 10, () -> lines.size() + " warnings for one outage: " + lines);
  }

  private static List<String> createdOf(List<ConsumerRecord<String, String>> records, String user) {
    return records.stream()
        .filter(r -> user.equals(r.key()))
        .map(r -> new JsonObject(r.value()))
        .filter(e -> "task.created".equals(e.getString("type")))
        .map(e -> e.getString("subject"))
        .toList();
  }

  private static void awaitCount(java.util.concurrent.atomic.AtomicInteger acknowledged, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (acknowledged.get() < count) {
      assertTrue(System.nanoTime() < deadline, () -> "only " + acknowledged + " writes");
      Thread.sleep(20);
    }
  }
}
