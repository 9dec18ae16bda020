package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The task API as a client uses it, against the running verticles. */
class TaskApiIT {

  static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,kafka,audit");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  static JsonObject json(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  static JsonObject create(String user, JsonObject body) throws Exception {
    return json(system.call("POST", "/api/v1/tasks", user, body.encode()), 201);
  }

  @Test
  void fullModelRoundTrips() throws Exception {
    String user = TestSystem.uniqueUser("model");
    JsonObject task =
        create(
            user,
            new JsonObject()
                .put("title", "  Plan the trip ")
                .put("description", "<script>alert(1)</script> ' OR 1=1 --")
                .put("priority", "high")
                .put("tags", new JsonArray().add("Travel").add("travel ").add("family"))
                .put("dueAt", "2026-12-24T15:00:00Z")
                .put("timeZone", "America/New_York"));
    assertEquals("Plan the trip", task.getString("title"));
    assertEquals("<script>alert(1)</script> ' OR 1=1 --", task.getString("description"));
    assertEquals(new JsonArray().add("family").add("travel"), task.getJsonArray("tags"));
    assertEquals("2026-12-24T10:00:00-05:00", task.getString("dueAt"), "shown in its zone");
    assertNull(task.getString("dueDate"));
    assertEquals(1, task.getInteger("version"));

    HttpResponse<String> got = system.get("/api/v1/tasks/" + task.getString("id"), user);
    assertEquals(task, json(got, 200));
    String etag = got.headers().firstValue("ETag").orElseThrow();
    assertTrue(etag.startsWith("\""), "a strong ETag");
    assertEquals(
        304,
        system
            .call("GET", "/api/v1/tasks/" + task.getString("id"), user, null, "If-None-Match", etag)
            .statusCode());

    JsonObject allDay =
        create(user, new JsonObject().put("title", "birthday").put("dueDate", "2026-02-28"));
    assertEquals("2026-02-28", allDay.getString("dueDate"));
    assertNull(allDay.getString("dueAt"));
  }

  @Test
  void mergePatchReplacesRemovesAndKeepsOneKindOfDue() throws Exception {
    String user = TestSystem.uniqueUser("patch");
    JsonObject task =
        create(
            user,
            new JsonObject()
                .put("title", "t")
                .put("description", "d")
                .put("dueDate", "2026-05-01"));
    String path = "/api/v1/tasks/" + task.getString("id");
    JsonObject patched =
        json(
            system.call(
                "PATCH",
                path,
                user,
                "{\"description\":null,\"priority\":\"low\",\"dueAt\":\"2026-05-01T09:00:00+02:00\",\"timeZone\":\"Europe/Berlin\"}"),
            200);
    assertNull(patched.getString("description"));
    assertEquals("low", patched.getString("priority"));
    assertNull(patched.getString("dueDate"), "setting dueAt removes dueDate");
    assertEquals("2026-05-01T09:00:00+02:00", patched.getString("dueAt"));
    assertEquals(2, patched.getInteger("version"));
    // sending back what was read is fine; changing a read-only field is not
    json(
        system.call(
            "PATCH", path, user, new JsonObject().put("version", 2).put("title", "t2").encode()),
        200);
    json(system.call("PATCH", path, user, "{\"completed\":true}"), 400);
    json(system.call("PATCH", path, user, "{\"title\":null}"), 400);
    json(
        system.call(
            "PATCH", path, user, "{\"dueAt\":\"2026-05-01T09:00:00Z\",\"dueDate\":\"2026-05-02\"}"),
        400);
    json(system.call("PATCH", path, user, "{\"timeZone\":\"Mars/Olympus\"}"), 400);
    json(system.call("PATCH", path, user, "{\"dueDate\":\"2026-02-30\"}"), 400);

    // history shows old -> new for each changed field
    JsonArray history =
        TestSystem.eventually(
            Duration.ofSeconds(10),
            () -> json(system.get(path + "/history", user), 200).getJsonArray("items"),
            items -> items.size() >= 3);
    JsonObject update = history.getJsonObject(1);
    assertEquals("task.updated", update.getString("type"));
    assertEquals(
        "d", update.getJsonObject("changes").getJsonObject("description").getString("old"));
    assertNull(update.getJsonObject("changes").getJsonObject("description").getValue("new"));
    assertEquals(
        "2026-05-01", update.getJsonObject("changes").getJsonObject("dueDate").getString("old"));
  }

  @Test
  void staleIfMatchIsRefusedAndConcurrentPatchesHaveOneWinner() throws Exception {
    String user = TestSystem.uniqueUser("ifmatch");
    JsonObject task = create(user, new JsonObject().put("title", "contended"));
    String path = "/api/v1/tasks/" + task.getString("id");
    String etag = system.get(path, user).headers().firstValue("ETag").orElseThrow();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<String>>> attempts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String title = "writer " + i;
        attempts.add(
            pool.submit(
                () ->
                    system.call(
                        "PATCH",
                        path,
                        user,
                        new JsonObject().put("title", title).encode(),
                        "If-Match",
                        etag)));
      }
      List<Integer> statuses = new ArrayList<>();
      for (Future<HttpResponse<String>> attempt : attempts) {
        statuses.add(attempt.get().statusCode());
      }
      assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
      assertEquals(7, statuses.stream().filter(s -> s == 412).count(), statuses.toString());
    } finally {
      pool.shutdown();
    }
    assertEquals(2, json(system.get(path, user), 200).getInteger("version"));
    assertEquals(
        412, system.call("POST", path + "/complete", user, null, "If-Match", etag).statusCode());
    assertEquals(412, system.call("DELETE", path, user, null, "If-Match", etag).statusCode());
  }

  @Test
  void idempotencyKeyReplaysAndNeverCreatesTwice() throws Exception {
    String user = TestSystem.uniqueUser("idem");
    String body = "{\"title\":\"pay rent\"}";
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Future<HttpResponse<String>>> calls = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        calls.add(
            pool.submit(
                () ->
                    system.call(
                        "POST", "/api/v1/tasks", user, body, "Idempotency-Key", "rent-2026-12")));
      }
      Set<String> bodies = new HashSet<>();
      for (Future<HttpResponse<String>> call : calls) {
        HttpResponse<String> response = call.get();
        assertEquals(201, response.statusCode(), response.body());
        bodies.add(response.body());
      }
      assertEquals(1, bodies.size(), "every retry gets the same response");
    } finally {
      pool.shutdown();
    }
    assertEquals(1, TestSystem.count("SELECT count(*) FROM tasks WHERE user_id = ?", user));
    HttpResponse<String> replay =
        system.call("POST", "/api/v1/tasks", user, body, "Idempotency-Key", "rent-2026-12");
    assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(""));
    assertNotNull(replay.headers().firstValue("Location").orElse(null));
    JsonObject reused =
        json(
            system.call(
                "POST",
                "/api/v1/tasks",
                user,
                "{\"title\":\"other\"}",
                "Idempotency-Key",
                "rent-2026-12"),
            422);
    assertEquals("https://taskbus.io/problems/idempotency-key-reused", reused.getString("type"));
    assertEquals(1, TestSystem.count("SELECT count(*) FROM tasks WHERE user_id = ?", user));
  }

  @Test
  void lifeCycleCompleteReopenTrashRestore() throws Exception {
    String user = TestSystem.uniqueUser("life");
    String id = create(user, new JsonObject().put("title", "cycle")).getString("id");
    String path = "/api/v1/tasks/" + id;
    assertTrue(
        json(system.call("POST", path + "/complete", user, null), 200).getBoolean("completed"));
    JsonObject reopened = json(system.call("POST", path + "/reopen", user, null), 200);
    assertFalse(reopened.getBoolean("completed"));
    assertNull(reopened.getString("completedAt"));
    assertEquals(204, system.call("DELETE", path, user, null).statusCode());
    assertEquals(404, system.get(path, user).statusCode());
    JsonArray trash = json(system.get("/api/v1/trash", user), 200).getJsonArray("items");
    assertEquals(id, trash.getJsonObject(0).getString("id"));
    assertNotNull(trash.getJsonObject(0).getString("deletedAt"));
    JsonObject restored = json(system.call("POST", path + "/restore", user, null), 200);
    assertNull(restored.getString("deletedAt"));
    assertEquals(
        404,
        system.call("POST", path + "/restore", user, null).statusCode(),
        "a live task is not in the trash");
    assertTrue(json(system.get("/api/v1/trash", user), 200).getJsonArray("items").isEmpty());
    JsonArray types =
        TestSystem.eventually(
            Duration.ofSeconds(10),
            () -> json(system.get("/api/v1/audit?taskId=" + id, user), 200).getJsonArray("items"),
            items -> items.size() >= 5);
    assertEquals(
        List.of("task.restored", "task.deleted", "task.reopened", "task.completed", "task.created"),
        types.stream().map(o -> ((JsonObject) o).getString("type")).toList());
  }

  @Test
  void tagsAreReplacedAndBulkEditsReportEachId() throws Exception {
    String user = TestSystem.uniqueUser("bulk");
    String a = create(user, new JsonObject().put("title", "a")).getString("id");
    String b = create(user, new JsonObject().put("title", "b")).getString("id");
    String foreign =
        create(TestSystem.uniqueUser("other"), new JsonObject().put("title", "x")).getString("id");
    JsonObject tagged =
        json(
            system.call(
                "PUT", "/api/v1/tasks/" + a + "/tags", user, "[\"Home\",\"errands\",\"home\"]"),
            200);
    assertEquals(new JsonArray().add("errands").add("home"), tagged.getJsonArray("tags"));

    JsonObject result =
        json(
            system.call(
                "POST",
                "/api/v1/tasks/bulk",
                user,
                new JsonObject()
                    .put("action", "addTags")
                    .put("tags", new JsonArray().add("urgent"))
                    .put("ids", new JsonArray().add(a).add(b).add(foreign).add("nonsense"))
                    .encode()),
            200);
    List<Integer> statuses =
        result.getJsonArray("items").stream()
            .map(o -> ((JsonObject) o).getInteger("status"))
            .toList();
    assertEquals(List.of(200, 200, 404, 404), statuses);
    assertNull(result.getString("nextCursor"));
    assertTrue(
        json(system.get("/api/v1/tasks/" + b, user), 200).getJsonArray("tags").contains("urgent"));

    json(
        system.call(
            "POST",
            "/api/v1/tasks/bulk",
            user,
            new JsonObject()
                .put("action", "complete")
                .put("ids", new JsonArray().add(a).add(b))
                .encode()),
        200);
    assertEquals(
        2,
        json(system.get("/api/v1/tasks?status=completed", user), 200).getJsonArray("items").size());
    json(
        system.call(
            "POST",
            "/api/v1/tasks/bulk",
            user,
            new JsonObject().put("action", "explode").put("ids", new JsonArray().add(a)).encode()),
        400);
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 101; i++) {
      tooMany.add(a);
    }
    json(
        system.call(
            "POST",
            "/api/v1/tasks/bulk",
            user,
            new JsonObject().put("action", "complete").put("ids", tooMany).encode()),
        400);
    assertFalse(json(system.get("/api/v1/tasks/" + foreign, user), 404).isEmpty());
  }

  @Test
  void searchFiltersSortsAndPages() throws Exception {
    String user = TestSystem.uniqueUser("search");
    create(
        user,
        new JsonObject()
            .put("title", "buy milk")
            .put("priority", "high")
            .put("tags", new JsonArray().add("home"))
            .put("dueDate", "2026-12-01"));
    create(
        user,
        new JsonObject()
            .put("title", "buy bread and milk")
            .put("priority", "low")
            .put("tags", new JsonArray().add("home").add("work"))
            .put("dueDate", "2026-11-25"));
    create(
        user,
        new JsonObject()
            .put("title", "write report")
            .put("description", "quarterly milk numbers")
            .put("tags", new JsonArray().add("work")));
    String done = create(user, new JsonObject().put("title", "done already")).getString("id");
    system.call("POST", "/api/v1/tasks/" + done + "/complete", user, null);

    assertEquals(
        List.of("buy bread and milk", "buy milk", "write report"),
        titles(user, "?sort=due&order=asc"),
        "no due date sorts last");
    assertEquals(
        List.of("buy milk", "buy bread and milk"), titles(user, "?sort=due&order=desc&tag=home"));
    assertEquals(List.of("buy bread and milk"), titles(user, "?tag=home,work&tagMode=all"));
    assertEquals(3, titles(user, "?tag=home&tag=work").size());
    assertEquals(List.of("buy milk"), titles(user, "?priority=high"));
    assertEquals(
        List.of("buy milk", "write report"),
        titles(user, "?priority=high,medium&sort=priority&order=desc"));
    assertEquals(List.of("done already"), titles(user, "?status=completed"));
    assertEquals(4, titles(user, "?status=all").size());
    List<String> relevant = titles(user, "?q=milk&sort=relevance");
    assertEquals(3, relevant.size());
    assertEquals("write report", relevant.get(2), "a description match ranks below title matches");
    assertEquals(List.of("buy bread and milk"), titles(user, "?q=bread%20milk"));
    json(system.get("/api/v1/tasks?sort=relevance", user), 400);
    json(system.get("/api/v1/tasks?sort=colour", user), 400);
    json(system.get("/api/v1/tasks?tz=Nowhere/Special", user), 400);
  }

  @Test
  void dueFiltersAndTheFilterLanguageUseTheUsersZone() throws Exception {
    String user = TestSystem.uniqueUser("due");
    java.time.ZoneId zone = java.time.ZoneId.of("Pacific/Auckland");
    java.time.LocalDate today = java.time.LocalDate.now(zone);
    create(
        user,
        new JsonObject()
            .put("title", "late")
            .put("priority", "high")
            .put("tags", new JsonArray().add("work"))
            .put("dueDate", today.minusDays(2).toString()));
    create(
        user,
        new JsonObject()
            .put("title", "due today")
            .put("tags", new JsonArray().add("home"))
            .put("dueDate", today.toString()));
    create(
        user,
        new JsonObject()
            .put("title", "next week")
            .put("priority", "high")
            .put("tags", new JsonArray().add("home"))
            .put("dueAt", today.plusDays(5).atTime(9, 0).atZone(zone).toOffsetDateTime().toString())
            .put("timeZone", "Pacific/Auckland"));
    create(user, new JsonObject().put("title", "someday"));
    String tz = "&tz=Pacific/Auckland";
    assertEquals(List.of("late"), titles(user, "?overdue=true" + tz));
    assertEquals(
        List.of("due today", "late"),
        titles(user, "?dueBefore=tomorrow" + tz).stream().sorted().toList());
    assertEquals(List.of("next week"), titles(user, "?dueAfter=today" + tz));
    assertEquals(List.of("someday"), titles(user, "?hasDue=false" + tz));
    assertEquals(
        List.of("late", "due today", "next week"),
        titles(user, "?sort=due&order=asc&hasDue=true" + tz));

    String filter =
        java.net.URLEncoder.encode(
            "priority:high & (tag:work | tag:home) & due < 7d & !completed",
            java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(
        List.of("late", "next week"), titles(user, "?sort=due&order=asc&filter=" + filter + tz));
    assertEquals(List.of("due today"), titles(user, "?filter=today" + tz));
    JsonObject problem =
        json(
            system.get(
                "/api/v1/tasks?filter="
                    + java.net.URLEncoder.encode(
                        "priority:urgent & tag:x", java.nio.charset.StandardCharsets.UTF_8),
                user),
            400);
    JsonObject error = problem.getJsonArray("errors").getJsonObject(0);
    assertEquals("filter", error.getString("field"));
    assertEquals(9, error.getInteger("position"), error.encode());
    json(system.get("/api/v1/tasks?filter=%28tag%3Awork", user), 400);
    json(system.get("/api/v1/tasks?dueBefore=2026-02-30", user), 400);
    json(system.get("/api/v1/tasks?overdue=maybe", user), 400);
  }

  @Test
  void paginationUnderConcurrentInsertsReturnsEveryRowOnce() throws Exception {
    String user = TestSystem.uniqueUser("pages");
    Set<String> before = new HashSet<>();
    for (int i = 0; i < 45; i++) {
      before.add(create(user, new JsonObject().put("title", "row " + i)).getString("id"));
    }
    for (String sort : List.of("created", "due", "priority", "updated")) {
      for (String order : List.of("asc", "desc")) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int page = 0;
        do {
          // someone else keeps adding tasks while we page
          CompletableFuture<Void> insert =
              CompletableFuture.runAsync(
                  () -> {
                    try {
                      create(user, new JsonObject().put("title", "concurrent"));
                    } catch (Exception e) {
                      throw new RuntimeException(e);
                    }
                  });
          JsonObject body =
              json(
                  system.get(
                      "/api/v1/tasks?limit=7&sort="
                          + sort
                          + "&order="
                          + order
                          + (cursor == null ? "" : "&cursor=" + cursor),
                      user),
                  200);
          insert.join();
          body.getJsonArray("items").forEach(o -> seen.add(((JsonObject) o).getString("id")));
          cursor = body.getString("nextCursor");
        } while (cursor != null && ++page < 100);
        assertEquals(
            seen.size(), new HashSet<>(seen).size(), sort + " " + order + ": a row repeated");
        assertTrue(new HashSet<>(seen).containsAll(before), sort + " " + order + ": a row skipped");
      }
    }
  }

  @Test
  void auditFeedFiltersByTypeTimeAndPages() throws Exception {
    String user = TestSystem.uniqueUser("feed");
    String id = create(user, new JsonObject().put("title", "feed me")).getString("id");
    system.call("POST", "/api/v1/tasks/" + id + "/complete", user, null, "X-Request-Id", "req-42");
    create(user, new JsonObject().put("title", "second"));
    JsonObject all =
        TestSystem.eventually(
            Duration.ofSeconds(10),
            () -> json(system.get("/api/v1/audit", user), 200),
            b -> b.getJsonArray("items").size() >= 3);
    assertEquals(3, all.getJsonArray("items").size());
    JsonObject completion =
        json(system.get("/api/v1/audit?type=task.completed", user), 200)
            .getJsonArray("items")
            .getJsonObject(0);
    assertEquals("req-42", completion.getString("requestId"));
    assertEquals(user, completion.getString("actor"));
    assertEquals(id, completion.getString("taskId"));
    JsonObject first = json(system.get("/api/v1/audit?limit=2", user), 200);
    assertEquals(2, first.getJsonArray("items").size());
    JsonObject rest =
        json(
            system.get("/api/v1/audit?limit=2&cursor=" + first.getString("nextCursor"), user), 200);
    assertEquals(1, rest.getJsonArray("items").size());
    assertNull(rest.getString("nextCursor"));
    assertEquals(
        0,
        json(system.get("/api/v1/audit?since=2999-01-01T00:00:00Z", user), 200)
            .getJsonArray("items")
            .size());
    json(system.get("/api/v1/audit?since=yesterday", user), 400);
  }

  @Test
  void userBCannotReachAnythingOfUserA() throws Exception {
    String a = TestSystem.uniqueUser("owner");
    String b = TestSystem.uniqueUser("intruder");
    JsonObject task =
        create(
            a, new JsonObject().put("title", "private").put("tags", new JsonArray().add("secret")));
    String id = task.getString("id");
    String path = "/api/v1/tasks/" + id;
    String etag = system.get(path, a).headers().firstValue("ETag").orElseThrow();
    long eventsBefore = TestSystem.count("SELECT seq FROM users WHERE id = ?", a);
    List<HttpResponse<String>> attempts =
        List.of(
            system.get(path, b),
            system.call("PATCH", path, b, "{\"title\":\"mine now\"}"),
            system.call("PATCH", path, b, "{\"title\":\"mine now\"}", "If-Match", etag),
            system.call("DELETE", path, b, null),
            system.call("POST", path + "/complete", b, null),
            system.call("POST", path + "/reopen", b, null),
            system.call("POST", path + "/restore", b, null),
            system.call("PUT", path + "/tags", b, "[\"x\"]"),
            system.get(path + "/history", b));
    for (HttpResponse<String> attempt : attempts) {
      assertEquals(404, attempt.statusCode(), attempt.uri() + " " + attempt.body());
      assertFalse(attempt.body().contains("private"), "no hint of the task");
    }
    JsonObject bulk =
        json(
            system.call(
                "POST",
                "/api/v1/tasks/bulk",
                b,
                new JsonObject()
                    .put("action", "delete")
                    .put("ids", new JsonArray().add(id))
                    .encode()),
            200);
    assertEquals(404, bulk.getJsonArray("items").getJsonObject(0).getInteger("status"));
    for (String query : List.of("", "?status=all", "?q=private", "?tag=secret")) {
      assertTrue(
          json(system.get("/api/v1/tasks" + query, b), 200).getJsonArray("items").isEmpty(), query);
    }
    assertTrue(json(system.get("/api/v1/trash", b), 200).getJsonArray("items").isEmpty());
    // the owner's audit has the task's history by now, so the intruder's empty answer means
    // something
    assertEquals(
        1,
        TestSystem.eventually(
                Duration.ofSeconds(10),
                () -> json(system.get("/api/v1/audit?taskId=" + id, a), 200).getJsonArray("items"),
                items -> !items.isEmpty())
            .size());
    assertTrue(
        json(system.get("/api/v1/audit?taskId=" + id, b), 200).getJsonArray("items").isEmpty());
    JsonObject still = json(system.get(path, a), 200);
    assertEquals(task.getString("title"), still.getString("title"));
    assertEquals(1, still.getInteger("version"));
    assertEquals(eventsBefore, TestSystem.count("SELECT seq FROM users WHERE id = ?", a));
  }

  @Test
  void rowLevelSecurityHidesOtherUsersEvenFromAQueryWithoutAUserCondition() throws Exception {
    String a = TestSystem.uniqueUser("rls-a");
    String b = TestSystem.uniqueUser("rls-b");
    create(a, new JsonObject().put("title", "a's"));
    create(b, new JsonObject().put("title", "b's"));
    try (var c = TestSystem.jdbc()) {
      c.setAutoCommit(false);
      try (var s = c.createStatement()) {
        s.execute(
            "SELECT set_config('role', 'taskbus_user', true), set_config('taskbus.user', '"
                + b
                + "', true)");
        var rs = s.executeQuery("SELECT user_id FROM tasks");
        Set<String> owners = new HashSet<>();
        while (rs.next()) {
          owners.add(rs.getString(1));
        }
        assertEquals(Set.of(b), owners, "RLS must hide every other user's rows");
        assertEquals(
            0, s.executeUpdate("UPDATE tasks SET title = 'x' WHERE user_id = '" + a + "'"));
      }
      c.rollback();
    }
  }

  private static List<String> titles(String user, String query) throws Exception {
    return json(system.get("/api/v1/tasks" + query, user), 200).getJsonArray("items").stream()
        .map(o -> ((JsonObject) o).getString("title"))
        .collect(Collectors.toList());
  }
}
