package io.taskbus.recurrence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.Addresses;
import io.taskbus.contracts.Envelope;
import io.taskbus.contracts.Failures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the recurrence consumer answers for a completion: the command sent, or why not. */
class NextOccurrencesTest {

  private Vertx vertx;
  private NextOccurrences next;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    next = new NextOccurrences(vertx);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static JsonObject completion(String rule) {
    JsonObject task =
        new JsonObject()
            .put("id", "6f1c3c52-3a0e-4d0b-9d5e-2f4f1d1a7c11")
            .put("dueDate", "2026-06-01")
            .put("completedAt", "2026-06-01T10:00:00Z")
            .put("recurrence", new JsonObject().put("rule", rule));
    return new JsonObject()
        .put(Envelope.ID, "17")
        .put(Envelope.TYPE, "task.completed")
        .put(Envelope.USER_ID, "ada")
        .put(Envelope.DATA, new JsonObject().put("task", task));
  }

  private Throwable failure(Future<Void> handled) throws Exception {
    java.util.concurrent.CompletableFuture<Throwable> out =
        new java.util.concurrent.CompletableFuture<>();
    handled.onComplete(ar -> out.complete(ar.cause()));
    return out.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aReadableRuleAsksTheApiForTheNextOccurrence() throws Exception {
    BlockingQueue<JsonObject> commands = new LinkedBlockingQueue<>();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.API_COMMANDS,
            msg -> {
              commands.add(msg.body());
              msg.reply(new JsonObject().put("created", true));
            })
        .completion()
        .await();
    assertEquals(null, failure(next.handle(completion("FREQ=WEEKLY"))));
    JsonObject command = commands.poll(5, TimeUnit.SECONDS);
    assertEquals("createOccurrence", command.getString("command"));
    assertEquals("2026-06-08", command.getString("dueDate"));
  }

  @Test
  void anUnreadableRuleIsTheRecordsFaultNotAnAcknowledgement() throws Exception {
    Throwable failure = failure(next.handle(completion("FREQ=SOMETIMES")));
    assertTrue(
        failure != null && failure.getMessage().contains("no next occurrence"),
        String.valueOf(failure));
    assertEquals(
        Envelope.REFUSED,
        Failures.replyCode(failure),
        "refused: retried, then dead-lettered with its reason");
  }

  @Test
  void anApiThatIsAwayMakesTheRecordWait() throws Exception {
    Throwable failure = failure(next.handle(completion("FREQ=WEEKLY")));
    assertTrue(failure != null, "nobody listens on " + Addresses.API_COMMANDS);
    assertEquals(Envelope.UNAVAILABLE, Failures.replyCode(failure));
  }
}
