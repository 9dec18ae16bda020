package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
          assertEquals(503, r.statusCode(), r.body());
          assertEquals(
              "https://taskbus.io/problems/busy", new JsonObject(r.body()).getString("type"));
          assertTrue(r.headers().firstValue("Retry-After").isPresent());
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
}
