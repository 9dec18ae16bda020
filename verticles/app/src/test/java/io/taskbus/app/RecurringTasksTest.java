package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Recurring tasks through the running system: rules, previews, and next occurrences once. */
class RecurringTasksTest {

  static TestSystem system;
  static Map<String, String> cluster;
  static int childPort;

  /** Clustered, so a second recurrence process can reach this process's api over the bus. */
  @BeforeAll
  static void start() throws Exception {
    int here = TestSystem.clusterPort();
    childPort = TestSystem.clusterPort();
    String members = "127.0.0.1:" + here + ",127.0.0.1:" + childPort;
    cluster = Map.of("TASKBUS_CLUSTER", "true", "TASKBUS_HAZELCAST_MEMBERS", members);
    Map<String, String> env = new java.util.HashMap<>(cluster);
    env.put("TASKBUS_HAZELCAST_PORT", Integer.toString(here));
    system = TestSystem.start("api,kafka,audit,recurrence", env);
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  static JsonObject json(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  @Test
  void monthlyOnThe31stPreviewsInTheTasksZoneAcrossDaylightSaving() throws Exception {
    String user = TestSystem.uniqueUser("monthly");
    JsonObject task = json(system.call("POST", "/api/v1/tasks", user, new JsonObject()
        .put("title", "pay rent").put("dueAt", "2026-01-31T09:00:00-05:00")
        .put("timeZone", "America/New_York")
        .put("recurrence", new JsonObject().put("rule", "FREQ=MONTHLY;BYMONTHDAY=31")).encode()), 201);
    assertEquals("FREQ=MONTHLY;BYMONTHDAY=31", task.getJsonObject("recurrence").getString("rule"));
    assertEquals(task.getString("id"), task.getString("seriesId"));
    JsonArray items = json(system.get("/api/v1/tasks/" + task.getString("id")
        + "/occurrences?from=2026-01-01&limit=4", user), 200).getJsonArray("items");
    assertEquals(List.of("2026-01-31T09:00:00-05:00", "2026-03-31T09:00:00-04:00",
        "2026-05-31T09:00:00-04:00", "2026-07-31T09:00:00-04:00"),
        items.stream().map(o -> ((JsonObject) o).getString("start")).toList(),
        "months without a 31st are skipped; 09:00 stays 09:00 local after the DST change");

    JsonObject allDay = json(system.call("POST", "/api/v1/tasks", user, new JsonObject()
        .put("title", "month end").put("dueDate", "2026-01-31")
        .put("recurrence", new JsonObject().put("preset", "monthly")).encode()), 201);
    items = json(system.get("/api/v1/tasks/" + allDay.getString("id")
        + "/occurrences?from=2026-01-01&limit=3", user), 200).getJsonArray("items");
    assertEquals(List.of("2026-01-31", "2026-02-28", "2026-03-31"),
        items.stream().map(o -> ((JsonObject) o).getString("start")).toList());
  }

  @Test
  void badRulesAndMissingDuesAre400sThatSayWhy() throws Exception {
    String user = TestSystem.uniqueUser("badrule");
    JsonObject problem = json(system.call("POST", "/api/v1/tasks", user, new JsonObject()
        .put("title", "x").put("dueDate", "2026-01-31")
        .put("recurrence", new JsonObject().put("rule", "FREQ=MONTHLY;BYMONTHDAY=32")).encode()), 400);
    assertTrue(problem.getString("detail").contains("BYMONTHDAY=32"), problem.encode());
    json(system.call("POST", "/api/v1/tasks", user, new JsonObject().put("title", "x")
        .put("recurrence", new JsonObject().put("rule", "FREQ=DAILY")).encode()), 400);
    json(system.call("POST", "/api/v1/tasks", user, new JsonObject().put("title", "x")
        .put("dueDate", "2026-01-31").put("recurrence", new JsonObject().put("rule", "FREQ=SECONDLY")).encode()), 400);
    json(system.call("POST", "/api/v1/tasks", user, new JsonObject().put("title", "x")
        .put("dueDate", "2026-01-31").put("recurrence", "weekly").encode()), 400);
    assertEquals(0, TestSystem.count("SELECT count(*) FROM tasks WHERE user_id = ?", user));
    String plain = system.createTask(user, "not recurring").getString("id");
    json(system.get("/api/v1/tasks/" + plain + "/occurrences", user), 409);
  }

  @Test
  void completingAnOccurrenceCreatesTheNextOnceAndKeepsTheSeries() throws Exception {
    String user = TestSystem.uniqueUser("daily");
    JsonObject first = json(system.call("POST", "/api/v1/tasks", user, new JsonObject()
        .put("title", "water plants").put("dueAt", "2026-03-07T09:00:00-05:00")
        .put("timeZone", "America/New_York")
        .put("recurrence", new JsonObject().put("rule", "FREQ=DAILY").put("overdue", "catch-up")).encode()), 201);
    String id = first.getString("id");
    json(system.call("POST", "/api/v1/tasks/" + id + "/complete", user, null), 200);
    JsonArray series = TestSystem.eventually(Duration.ofSeconds(20),
        () -> json(system.get("/api/v1/tasks/" + id + "/series", user), 200).getJsonArray("items"),
        items -> items.size() >= 2);
    assertEquals(2, series.size(), series.encodePrettily());
    JsonObject next = series.getJsonObject(1);
    assertEquals("2026-03-08T09:00-04:00", next.getString("dueAt"), "09:00 local after spring forward");
    assertEquals(first.getString("seriesId"), next.getString("seriesId"));
    assertTrue(series.getJsonObject(0).getBoolean("completed"), "the completed one stays as history");
    assertEquals("task.recurring.triggered", TestSystem.eventually(Duration.ofSeconds(10),
        () -> json(system.get("/api/v1/audit?type=task.recurring.triggered", user), 200).getJsonArray("items"),
        items -> !items.isEmpty()).getJsonObject(0).getString("type"));
    // a second completion event for the same occurrence (reopen + complete again) creates nothing new
    system.call("POST", "/api/v1/tasks/" + id + "/reopen", user, null);
    system.call("POST", "/api/v1/tasks/" + id + "/complete", user, null);
    Thread.sleep(1500);
    assertEquals(2, json(system.get("/api/v1/tasks/" + id + "/series", user), 200)
        .getJsonArray("items").size());
  }

  @Test
  void twoHundredCompletionsWithTwoRecurrenceProcessesGiveTwoHundredNextOccurrences() throws Exception {
    String user = TestSystem.uniqueUser("race");
    Map<String, String> env = new java.util.HashMap<>(cluster);
    env.put("TASKBUS_HAZELCAST_PORT", Integer.toString(childPort));
    env.put("TASKBUS_VERTICLES", "recurrence,kafka");
    try (ChildProcess second = ChildProcess.start("recurrence-2", env)) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ids.add(json(system.call("POST", "/api/v1/tasks", user, new JsonObject().put("title", "r" + i)
            .put("dueDate", "2026-06-01")
            .put("recurrence", new JsonObject().put("preset", "weekly")).encode()), 201).getString("id"));
      }
      List<CompletableFuture<HttpResponse<String>>> completions = new ArrayList<>();
      java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(32);
      for (String id : ids) {
        inFlight.acquire();
        completions.add(system.http.sendAsync(HttpRequest.newBuilder(system.uri("/api/v1/tasks/" + id + "/complete"))
            .header("Authorization", "Bearer " + system.token(user)).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> inFlight.release()));
      }
      completions.forEach(c -> assertEquals(200, c.join().statusCode()));
      long created = TestSystem.eventually(Duration.ofSeconds(60),
          () -> TestSystem.count("SELECT count(*) FROM tasks WHERE user_id = ? AND NOT completed", user),
          n -> n >= 200);
      Thread.sleep(2000);
      assertEquals(200, TestSystem.count("SELECT count(*) FROM tasks WHERE user_id = ? AND NOT completed", user));
      assertEquals(200, created);
      assertEquals(200, TestSystem.count("SELECT count(DISTINCT series_id) FROM tasks"
          + " WHERE user_id = ? AND NOT completed", user), "one next occurrence per series");
      // overdue policy skip (the default): the next one is the first in the future, on a Monday
      assertEquals(1, TestSystem.count("SELECT count(DISTINCT due_date) FROM tasks"
          + " WHERE user_id = ? AND NOT completed AND due_date > current_date"
          + " AND extract(isodow FROM due_date) = 1", user));
    }
  }
}
