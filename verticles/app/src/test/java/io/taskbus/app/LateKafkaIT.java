package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Topics;
import io.taskbus.devstack.EmbeddedKafkaBroker;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/**
 * A process whose Kafka does not answer yet when it starts (a broker still starting, or slow on
 * loaded cores) waits for it instead of exiting, then carries what it is given to it.
 */
class LateKafkaIT {

  @Test
  void aProcessStartedBeforeItsKafkaWaitsForItAndThenPublishes() throws Exception {
    Path dir = Files.createTempDirectory(TestSystem.scratch(), "taskbus-late-kafka");
    // its address is known now; nothing listens there until start()
    EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker(dir.resolve("kafka")).onPort(TestSystem.freePort());
    String bootstrap = broker.bootstrapServers();
    try (LogCapture log = new LogCapture("late-kafka", Level.WARN)) {
      CompletableFuture<TestSystem> starting =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return TestSystem.start(
                      "api,kafka", Map.of("TASKBUS_KAFKA_BOOTSTRAPSERVERS", bootstrap));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      // the first try gave up (the admin client waits 5 s): only now does the broker come up
      boolean waiting =
          TestSystem.eventually(
              Duration.ofSeconds(30),
              () -> log.said("does not answer yet"),
              said -> said || starting.isDone());
      assertTrue(waiting, "the process says Kafka does not answer yet");
      assertFalse(starting.isDone(), "the process waits for Kafka, it has not given up");
      broker.start();
      try (TestSystem system = starting.get(90, TimeUnit.SECONDS)) {
        String user = TestSystem.uniqueUser("late");
        String id = system.createTask(user, "after a late Kafka").getString("id");
        try (EventLog events = new EventLog(bootstrap, Topics.TASK_EVENTS)) {
          List<JsonObject> created =
              events.readUntilUser(Duration.ofSeconds(30), user, es -> !es.isEmpty());
          assertEquals(1, created.size(), "the create's one event: " + created);
          assertEquals(id, created.get(0).getString("subject"));
        }
      }
    } finally {
      broker.stop();
    }
  }
}
