package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.taskbus.contracts.Addresses;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The api asks the recurrence verticle about rules before it opens a transaction, never while it
 * holds one: a recurrence verticle that does not answer must not take the database connections (and
 * row locks) every other request needs.
 */
class RulesOutsideTransactionsIT {

  @Test
  void aSilentRulesEngineHoldsNoConnection() throws Exception {
    try (TestSystem system = TestSystem.start("api", Map.of("TASKBUS_PG_POOLSIZE", "2"))) {
      // a recurrence verticle that takes questions and never answers them (the api waits 5 s)
      MessageConsumer<JsonObject> silent =
          system.taskbus.vertx().eventBus().consumer(Addresses.RECURRENCE_RULES, question -> {});
      silent.completion().await();
      String user = TestSystem.uniqueUser("silent");
      String series = system.createTask(user, "weekly review").getString("id");

      List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        waiting.add(
            system.http.sendAsync(
                HttpRequest.newBuilder(system.uri("/api/v1/tasks"))
                    .header("Authorization", "Bearer " + system.token(user))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            new JsonObject()
                                .put("title", "r" + i)
                                .put("dueDate", "2026-06-01")
                                .put("recurrence", new JsonObject().put("preset", "weekly"))
                                .encode()))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      waiting.add(
          system.http.sendAsync(
              HttpRequest.newBuilder(system.uri("/api/v1/tasks/" + series))
                  .header("Authorization", "Bearer " + system.token(user))
                  .header("Content-Type", "application/merge-patch+json")
                  .method(
                      "PATCH",
                      HttpRequest.BodyPublishers.ofString(
                          new JsonObject()
                              .put("dueDate", "2026-06-01")
                              .put("recurrence", new JsonObject().put("preset", "weekly"))
                              .encode()))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
      // the questions are out: the rules engine has them all and answers none
      TestSystem.eventually(
          Duration.ofSeconds(5),
          () -> waiting.stream().filter(f -> !f.isDone()).count(),
          n -> n == waiting.size());

      // meanwhile, on a pool of two connections, everything else goes on at once
      // (before, each question held a connection until it timed out: these waited for that)
      for (int i = 0; i < 3; i++) {
        JsonObject plain = system.createTask(user, "plain " + i);
        HttpResponse<String> list = system.get("/api/v1/tasks", user);
        assertEquals(200, list.statusCode(), list.body());
        assertEquals("plain " + i, plain.getString("title"));
      }
      assertFalse(
          waiting.stream().anyMatch(CompletableFuture::isDone),
          "served while the recurring ones still wait for the rules engine");
      for (CompletableFuture<HttpResponse<String>> answer : waiting) {
        assertEquals(503, answer.get().statusCode(), "no answer from the rules engine: retry");
      }
      assertEquals(
          4,
          TestSystem.count("SELECT count(*) FROM tasks WHERE user_id = ?", user),
          "the series and the three plain tasks; nothing half-written");
    }
  }
}
