package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bounded everything: a busy user gets 429, a saturated database 503, never a pile-up or a 500. */
class LimitsIT {

  @Test
  void aUserOverTheRateLimitGets429WithRetryAfterAndOthersDoNot() throws Exception {
    try (TestSystem system =
        TestSystem.start(
            "api",
            Map.of("TASKBUS_API_RATELIMITPERSECOND", "2", "TASKBUS_API_RATELIMITBURST", "5"))) {
      String eager = TestSystem.uniqueUser("eager");
      List<Integer> statuses = new ArrayList<>();
      HttpResponse<String> limited = null;
      for (int i = 0; i < 12; i++) {
        HttpResponse<String> r = system.get("/api/v1/tasks", eager);
        statuses.add(r.statusCode());
        if (r.statusCode() == 429) {
          limited = r;
        }
      }
      assertTrue(statuses.subList(0, 5).stream().allMatch(s -> s == 200), statuses.toString());
      assertTrue(limited != null, "the burst is 5: " + statuses);
      assertEquals(
          "https://taskbus.io/problems/rate-limited",
          new JsonObject(limited.body()).getString("type"));
      assertTrue(Integer.parseInt(limited.headers().firstValue("Retry-After").orElse("0")) >= 1);
      assertEquals(200, system.get("/api/v1/tasks", TestSystem.uniqueUser("calm")).statusCode());
    }
  }

  /**
   * Shed by the pool's queue length (a one-slot wait queue), by queue time (a wait of 1 ms at most)
   * and before any work by the requests under way (two at most): each is 503 busy with Retry-After,
   * never a 500.
   */
  @ParameterizedTest
  @CsvSource({"1, 5000, 100000", "100, 1, 100000", "100, 5000, 2"})
  void aSaturatedDatabaseAnswers503InsteadOfWaiting(
      String maxWaitQueue, String timeoutMs, String maxInFlight) throws Exception {
    try (TestSystem system =
        TestSystem.start(
            "api",
            Map.of(
                "TASKBUS_PG_POOLSIZE", "1",
                "TASKBUS_PG_MAXWAITQUEUE", maxWaitQueue,
                "TASKBUS_PG_CONNECTIONTIMEOUTMS", timeoutMs,
                "TASKBUS_API_MAXINFLIGHT", maxInFlight))) {
      String user = TestSystem.uniqueUser("crowd");
      List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        all.add(
            system.http.sendAsync(
                HttpRequest.newBuilder(system.uri("/api/v1/tasks"))
                    .header("Authorization", "Bearer " + system.token(user))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"rush\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
      }
      int created = 0;
      int busy = 0;
      for (CompletableFuture<HttpResponse<String>> f : all) {
        HttpResponse<String> r = f.join();
        if (r.statusCode() == 201) {
          created++;
        } else {
          assertBusy(r);
          busy++;
        }
      }
      assertTrue(busy > 0, "a one-connection pool with a short queue or wait must shed load");
      assertEquals(
          created,
          TestSystem.count("SELECT count(*) FROM tasks WHERE user_id = ?", user),
          "every 201 is a task and every 503 wrote nothing");
    }
  }

  /**
   * Two clients more than the machine's cores, each sending the next create as soon as the last is
   * answered, on a one-connection pool, with as many admitted at most: the limit is reached all the
   * time and each waits for the others, so queue time (any, at a target of 0 ms) shrinks the limit
   * to the cores. From then on a request past it is 503 busy at once, and once the crowd has gone
   * the next request is served again.
   */
  @Test
  void queueTimeShrinksWhatIsAdmittedAtOnce() throws Exception {
    int clients = Runtime.getRuntime().availableProcessors() + 2;
    try (TestSystem system =
        TestSystem.start(
            "api",
            Map.of(
                "TASKBUS_PG_POOLSIZE", "1",
                "TASKBUS_API_MAXINFLIGHT", Integer.toString(clients),
                "TASKBUS_API_QUEUETARGETMS", "0",
                "TASKBUS_API_QUEUEINTERVALMS", "1"))) {
      String user = TestSystem.uniqueUser("queue");
      AtomicBoolean shed = new AtomicBoolean();
      ConcurrentLinkedQueue<HttpResponse<String>> answers = new ConcurrentLinkedQueue<>();
      List<CompletableFuture<Void>> crowd = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        crowd.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < 500 && !shed.get(); i++) {
                    HttpResponse<String> r = create(system, user);
                    answers.add(r);
                    if (r.statusCode() == 503) {
                      shed.set(true);
                    }
                  }
                }));
      }
      CompletableFuture.allOf(crowd.toArray(new CompletableFuture<?>[0])).join();
      int created = 0;
      for (HttpResponse<String> r : answers) {
        if (r.statusCode() == 201) {
          created++;
        } else {
          assertBusy(r);
          // refused at admission, not after waiting in the pool's queue
          assertEquals(
              "The service is busy; retry shortly", new JsonObject(r.body()).getString("detail"));
        }
      }
      assertTrue(shed.get(), "more clients than cores on one connection queue: " + created);
      assertEquals(
          created,
          TestSystem.count("SELECT count(*) FROM tasks WHERE user_id = ?", user),
          "every 201 is a task and every 503 wrote nothing");
      HttpResponse<String> after = create(system, user);
      assertEquals(
          201, after.statusCode(), "alone, a request finds the connection free: " + after.body());
    }
  }

  /** Load shed: 503, the busy problem, and when to come back. */
  private static void assertBusy(HttpResponse<String> r) {
    assertEquals(503, r.statusCode(), r.body());
    assertEquals("https://taskbus.io/problems/busy", new JsonObject(r.body()).getString("type"));
    assertTrue(r.headers().firstValue("Retry-After").isPresent(), "Retry-After");
  }

  private static HttpResponse<String> create(TestSystem system, String user) {
    try {
      return system.postJson("/api/v1/tasks", user, "{\"title\":\"queued\"}");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
