package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.contracts.EventTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Recurring tasks through the running system: rules, previews, and next occurrences once. */
class RecurringTasksIT {

  static TestSystem system;
  static Map<String, String> cluster;
  static int childPort;

  /** Clustered, so a second recurrence process can reach this process's api over the bus. */
  @BeforeAll
  static void start() throws Exception {
    int here = TestSystem.freePort();
    childPort = TestSystem.freePort();
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
    JsonObject task =
        json(
            system.call(
                "POST",
                "/api/v1/tasks",
                user,
                new JsonObject()
                    .put("title", "pay rent")
                    .put("dueAt", "2026-01-31T09:00:00-05:00")
                    .put("timeZone", "America/New_York")
                    .put("recurrence", new JsonObject().put("rule", "FREQ=MONTHLY;BYMONTHDAY=31"))
                    .encode()),
            201);
    assertEquals("FREQ=MONTHLY;BYMONTHDAY=31", task.getJsonObject("recurrence").getString("rule"));
    assertEquals(task.getString("id"), task.getString("seriesId"));
    JsonArray items =
        json(
                system.get(
                    "/api/v1/tasks/"
                        + task.getString("id")
                        + "/occurrences?from=2026-01-01&limit=4",
                    user),
                200)
            .getJsonArray("items");
    assertEquals(
        List.of(
            "2026-01-31T09:00:00-05:00",
            "2026-03-31T09:00:00-04:00",
            "2026-05-31T09:00:00-04:00",
            "2026-07-31T09:00:00-04:00"),
        items.stream().map(o -> ((JsonObject) o).getString("start")).toList(),
        "months without a 31st are skipped; 09:00 stays 09:00 local after the DST change");

    JsonObject allDay =
        json(
            system.call(
                "POST",
                "/api/v1/tasks",
                user,
                new JsonObject()
                    .put("title", "month end")
                    .put("dueDate", "2026-01-31")
                    .put("recurrence", new JsonObject().put("preset", "monthly"))
                    .encode()),
            201);
    items =
        json(
                system.get(
                    "/api/v1/tasks/"
                        + allDay.getString("id")
                        + "/occurrences?from=2026-01-01&limit=3",
                    user),
                200)
            .getJsonArray("items");
    assertEquals(
        List.of("2026-01-31", "2026-02-28", "2026-03-31"),
        items.stream().map(o -> ((JsonObject) o).getString("start")).toList());
  }

  @Test
  void badRulesAndMissingDuesAre400sThatSayWhy() throws Exception {
    String user = TestSystem.uniqueUser("badrule");
    JsonObject problem =
        json(
            system.call(
                "POST",
                "/api/v1/tasks",
                user,
                new JsonObject()
                    .put("title", "x")
                    .put("dueDate", "2026-01-31")
                    .put("recurrence", new JsonObject().put("rule", "FREQ=MONTHLY;BYMONTHDAY=32"))
                    .encode()),
            400);
    assertTrue(problem.getString("detail").contains("BYMONTHDAY=32"), problem.encode());
    json(
        system.call(
            "POST",
            "/api/v1/tasks",
            user,
            new JsonObject()
                .put("title", "x")
                .put("recurrence", new JsonObject().put("rule", "FREQ=DAILY"))
                .encode()),
        400);
    json(
        system.call(
            "POST",
            "/api/v1/tasks",
            user,
            new JsonObject()
                .put("title", "x")
                .put("dueDate", "2026-01-31")
                .put("recurrence", new JsonObject().put("rule", "FREQ=SECONDLY"))
                .encode()),
        400);
    json(
        system.call(
            "POST",
            "/api/v1/tasks",
            user,
            new JsonObject()
                .put("title", "x")
                .put("dueDate", "2026-01-31")
                .put("recurrence", "weekly")
                .encode()),
        400);
    assertEquals(0, TestSystem.count("SELECT count(*) FROM tasks WHERE user_id = ?", user));
    String plain = system.createTask(user, "not recurring").getString("id");
    json(system.get("/api/v1/tasks/" + plain + "/occurrences", user), 409);
  }

  @Test
  void completingAnOccurrenceCreatesTheNextOnceAndKeepsTheSeries() throws Exception {
    String user = TestSystem.uniqueUser("daily");
    JsonObject first =
        json(
            system.call(
                "POST",
                "/api/v1/tasks",
                user,
                new JsonObject()
                    .put("title", "water plants")
                    .put("dueAt", "2026-03-07T09:00:00-05:00")
                    .put("timeZone", "America/New_York")
                    .put(
                        "recurrence",
                        new JsonObject().put("rule", "FREQ=DAILY").put("overdue", "catch-up"))
                    .encode()),
            201);
    String id = first.getString("id");
    json(system.call("POST", "/api/v1/tasks/" + id + "/complete", user, null), 200);
    JsonArray series =
        TestSystem.eventually(
            Duration.ofSeconds(20),
            () ->
                json(system.get("/api/v1/tasks/" + id + "/series", user), 200)
                    .getJsonArray("items"),
            items -> items.size() >= 2);
    assertEquals(2, series.size(), series.encodePrettily());
    JsonObject next = series.getJsonObject(1);
    assertEquals(
        "2026-03-08T09:00:00-04:00", next.getString("dueAt"), "09:00 local after spring forward");
    assertEquals(first.getString("seriesId"), next.getString("seriesId"));
    assertTrue(
        series.getJsonObject(0).getBoolean("completed"), "the completed one stays as history");
    assertEquals(
        "task.recurring.triggered",
        TestSystem.eventually(
                Duration.ofSeconds(10),
                () ->
                    json(system.get("/api/v1/audit?type=task.recurring.triggered", user), 200)
                        .getJsonArray("items"),
                items -> !items.isEmpty())
            .getJsonObject(0)
            .getString("type"));
    // a second completion event for the same occurrence (reopen + complete again) creates nothing
    // new
    system.call("POST", "/api/v1/tasks/" + id + "/reopen", user, null);
    system.call("POST", "/api/v1/tasks/" + id + "/complete", user, null);
    awaitCompletionsHandled(user, 2);
    assertEquals(
        2,
        json(system.get("/api/v1/tasks/" + id + "/series", user), 200)
            .getJsonArray("items")
            .size());
    try (EventLog kafka = new EventLog()) {
      List<JsonObject> events = kafka.checkedEventsOfUser(user, 6, Duration.ofSeconds(10));
      assertEquals(
          List.of(
              EventTypes.TASK_CREATED,
              EventTypes.TASK_COMPLETED,
              EventTypes.TASK_CREATED,
              EventTypes.TASK_RECURRING_TRIGGERED,
              EventTypes.TASK_REOPENED,
              EventTypes.TASK_COMPLETED),
          events.stream().map(e -> e.getString("type")).toList(),
          "each checked against its schema");
    }
  }

  @Test
  void twoHundredCompletionsWithTwoRecurrenceProcessesGiveTwoHundredNextOccurrences()
      throws Exception {
    String user = TestSystem.uniqueUser("race");
    Map<String, String> env = new java.util.HashMap<>(cluster);
    env.put("TASKBUS_HAZELCAST_PORT", Integer.toString(childPort));
    env.put("TASKBUS_VERTICLES", "recurrence,kafka");
    try (ChildProcess second = ChildProcess.start("recurrence-2", env)) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ids.add(
            json(
                    system.call(
                        "POST",
                        "/api/v1/tasks",
                        user,
                        new JsonObject()
                            .put("title", "r" + i)
                            .put("dueDate", "2026-06-01")
                            .put("recurrence", new JsonObject().put("preset", "weekly"))
                            .encode()),
                    201)
                .getString("id"));
      }
      List<CompletableFuture<HttpResponse<String>>> completions = new ArrayList<>();
      java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(32);
      for (String id : ids) {
        inFlight.acquire();
        completions.add(
            system
                .http
                .sendAsync(
                    HttpRequest.newBuilder(system.uri("/api/v1/tasks/" + id + "/complete"))
                        .header("Authorization", "Bearer " + system.token(user))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> inFlight.release()));
      }
      completions.forEach(c -> assertEquals(200, c.join().statusCode()));
      long created =
          TestSystem.eventually(
              Duration.ofSeconds(60),
              () ->
                  TestSystem.count(
                      "SELECT count(*) FROM tasks WHERE user_id = ? AND NOT completed", user),
              n -> n >= 200);
      awaitCompletionsHandled(user, 200);
      assertEquals(
          200,
          TestSystem.count("SELECT count(*) FROM tasks WHERE user_id = ? AND NOT completed", user));
      assertEquals(200, created);
      assertEquals(
          200,
          TestSystem.count(
              "SELECT count(DISTINCT series_id) FROM tasks"
                  + " WHERE user_id = ? AND NOT completed",
              user),
          "one next occurrence per series");
      // overdue policy skip (the default): the next one is the first that is not overdue, on a
      // Monday (today itself when today is a Monday: a task due today is not overdue)
      assertEquals(
          200,
          TestSystem.count(
              "SELECT count(*) FROM tasks"
                  + " WHERE user_id = ? AND NOT completed AND due_date >= current_date"
                  + " AND due_date < current_date + 7"
                  + " AND extract(isodow FROM due_date) = 1",
              user));
    }
  }

  /**
   * Waits until the recurrence consumers have handled each of the user's {@code count} completions
   * (or skips), read back from Kafka: then no next occurrence is on its way any more, and a count
   * of tasks is final. Their group commits past a completion only once it was answered, and the
   * answer comes after the api created the next occurrence, or found it made already.
   */
  static void awaitCompletionsHandled(String user, int count) throws Exception {
    List<ConsumerRecord<String, String>> completions;
    try (EventLog kafka = new EventLog()) {
      kafka.readUntil(
          Duration.ofSeconds(20),
          rs -> kafka.ofUser(user, EventTypes.TASK_COMPLETED).size() >= count);
      completions = kafka.ofUser(user, EventTypes.TASK_COMPLETED);
    }
    completions.forEach(EventSchemas::assertRecord);
    assertEquals(count, completions.size(), "completions of " + user + " in Kafka");
    ConsumerGroups.awaitHandled(
        ConsumerGroups.RECURRENCE,
        completions.stream().map(ConsumerGroups.Position::of).toList(),
        Duration.ofSeconds(30));
  }

  // --- one occurrence skipped or moved, the rule changed from now on, the end by COUNT/UNTIL ---

  static JsonObject post(String path, String user, String json) throws Exception {
    return json(system.call("POST", path, user, json), 200);
  }

  /** The open (not completed) occurrences of a series, once the series has {@code size} tasks. */
  static JsonArray seriesOf(String id, String user, int size) throws Exception {
    JsonArray items =
        TestSystem.eventually(
            Duration.ofSeconds(20),
            () ->
                json(system.get("/api/v1/tasks/" + id + "/series", user), 200)
                    .getJsonArray("items"),
            i -> i.size() >= size);
    assertEquals(size, items.size(), items.encodePrettily());
    return items;
  }

  static JsonObject open(JsonArray series) {
    List<JsonObject> open =
        series.stream().map(o -> (JsonObject) o).filter(t -> !t.getBoolean("completed")).toList();
    assertEquals(1, open.size(), series.encodePrettily());
    return open.get(0);
  }

  static List<String> preview(String id, String user, String from, int limit) throws Exception {
    return json(
            system.get(
                "/api/v1/tasks/" + id + "/occurrences?from=" + from + "&limit=" + limit, user),
            200)
        .getJsonArray("items")
        .stream()
        .map(
            o -> {
              JsonObject item = (JsonObject) o;
              return item.getString("start")
                  + (item.getBoolean("skipped", false) ? " skipped" : "")
                  + (item.containsKey("movedFrom") ? " from " + item.getString("movedFrom") : "");
            })
        .toList();
  }

  static String occurrencePath(String id, String start) {
    return "/api/v1/tasks/"
        + id
        + "/occurrences/"
        + java.net.URLEncoder.encode(start, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void skippingTheOpenOccurrenceClosesItAndCreatesTheNextOnce() throws Exception {
    String user = TestSystem.uniqueUser("skip");
    String id =
        json(
                system.call(
                    "POST",
                    "/api/v1/tasks",
                    user,
                    new JsonObject()
                        .put("title", "gym")
                        .put("dueAt", "2026-03-07T09:00:00-05:00")
                        .put("timeZone", "America/New_York")
                        .put(
                            "recurrence",
                            new JsonObject().put("rule", "FREQ=DAILY").put("overdue", "catch-up"))
                        .encode()),
                201)
            .getString("id");
    JsonObject skipped = post("/api/v1/tasks/" + id + "/skip", user, null);
    assertTrue(skipped.getBoolean("completed"));
    assertTrue(skipped.getBoolean("skipped"));
    JsonArray series = seriesOf(id, user, 2);
    assertEquals("2026-03-08T09:00:00-04:00", open(series).getString("dueAt"));
    assertEquals(false, open(series).getBoolean("skipped"));
    // skipping again is a no-op; skipping a completed occurrence or a plain task is a conflict
    assertEquals(
        skipped.getInteger("version"),
        post("/api/v1/tasks/" + id + "/skip", user, null).getInteger("version"));
    String nextId = open(series).getString("id");
    json(system.call("POST", "/api/v1/tasks/" + nextId + "/complete", user, null), 200);
    json(system.call("POST", "/api/v1/tasks/" + nextId + "/skip", user, null), 409);
    json(
        system.call(
            "POST",
            "/api/v1/tasks/" + system.createTask(user, "plain").getString("id") + "/skip",
            user,
            null),
        409);
    seriesOf(id, user, 3);
    awaitCompletionsHandled(user, 2); // the skip and the completion
    assertEquals(
        3,
        json(system.get("/api/v1/tasks/" + id + "/series", user), 200).getJsonArray("items").size(),
        "one next occurrence per closed one");
    JsonObject event =
        TestSystem.eventually(
                Duration.ofSeconds(10),
                () ->
                    json(system.get("/api/v1/tasks/" + id + "/history", user), 200)
                        .getJsonArray("items"),
                items -> items.size() >= 2)
            .getJsonObject(1);
    assertEquals("task.completed", event.getString("type"));
    assertEquals(true, event.getJsonObject("changes").getJsonObject("skipped").getBoolean("new"));
  }

  @Test
  void postponingTheOpenOccurrenceDoesNotShiftTheSeries() throws Exception {
    String user = TestSystem.uniqueUser("postpone");
    JsonObject first =
        json(
            system.call(
                "POST",
                "/api/v1/tasks",
                user,
                new JsonObject()
                    .put("title", "stretch")
                    .put("dueAt", "2026-03-07T09:00:00-05:00")
                    .put("timeZone", "America/New_York")
                    .put(
                        "recurrence",
                        new JsonObject().put("rule", "FREQ=DAILY").put("overdue", "catch-up"))
                    .encode()),
            201);
    String id = first.getString("id");
    JsonObject moved =
        json(
            system.call(
                "PATCH",
                "/api/v1/tasks/" + id,
                user,
                new JsonObject().put("dueAt", "2026-03-09T15:00:00-04:00").encode()),
            200);
    assertEquals(
        "2026-03-07T09:00:00-05:00", moved.getString("occurrence"), "still the 7th's occurrence");
    assertEquals(first.getString("seriesStart"), moved.getString("seriesStart"));
    assertEquals(
        List.of(
            "2026-03-09T15:00:00-04:00 from 2026-03-07T09:00:00-05:00",
            "2026-03-08T09:00:00-04:00",
            "2026-03-09T09:00:00-04:00"),
        preview(id, user, "2026-03-07", 3));
    json(system.call("POST", "/api/v1/tasks/" + id + "/complete", user, null), 200);
    assertEquals(
        "2026-03-08T09:00:00-04:00",
        open(seriesOf(id, user, 2)).getString("dueAt"),
        "the next one is the 8th, as the rule has it, not a day after the postponed due");
  }

  @Test
  void aFutureOccurrenceIsSkippedOrMovedAndTheSeriesHonoursItWhenItGetsThere() throws Exception {
    String user = TestSystem.uniqueUser("exception");
    String id =
        json(
                system.call(
                    "POST",
                    "/api/v1/tasks",
                    user,
                    new JsonObject()
                        .put("title", "team sync")
                        .put("dueDate", "2026-06-01")
                        .put(
                            "recurrence",
                            new JsonObject().put("preset", "weekly").put("overdue", "catch-up"))
                        .encode()),
                201)
            .getString("id");
    String path = "/api/v1/tasks/" + id;
    // bad input: 400 with the reason, nothing changed
    int version = json(system.get(path, user), 200).getInteger("version");
    assertTrue(
        json(system.call("POST", occurrencePath(id, "2026-06-09") + "/skip", user, null), 400)
            .encode()
            .contains("not an occurrence of this series"));
    assertTrue(
        json(system.call("POST", occurrencePath(id, "2026-06-01") + "/skip", user, null), 400)
            .encode()
            .contains("not after this task's occurrence"));
    assertTrue(
        json(system.call("POST", occurrencePath(id, "next week") + "/skip", user, null), 400)
            .encode()
            .contains("must be a date like 2026-01-31"));
    JsonObject badTo =
        json(
            system.call(
                "POST",
                occurrencePath(id, "2026-06-15") + "/move",
                user,
                new JsonObject().put("to", "2026-06-17T10:00:00Z").encode()),
            400);
    assertEquals(
        "to", badTo.getJsonArray("errors").getJsonObject(0).getString("field"), badTo.encode());
    json(
        system.call(
            "POST",
            occurrencePath(id, "2026-06-15") + "/move",
            user,
            "{\"to\":\"2026-06-17\",\"x\":1}"),
        400);
    assertEquals(
        version,
        json(system.get(path, user), 200).getInteger("version"),
        "a rejected request writes nothing");

    post(occurrencePath(id, "2026-06-08") + "/skip", user, null);
    JsonObject task =
        post(
            occurrencePath(id, "2026-06-15") + "/move",
            user,
            new JsonObject().put("to", "2026-06-17").encode());
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("occurrence", "2026-06-08").put("skip", true))
            .add(new JsonObject().put("occurrence", "2026-06-15").put("to", "2026-06-17")),
        task.getJsonObject("recurrence").getJsonArray("exceptions"));
    post(occurrencePath(id, "2026-06-29") + "/skip", user, null);
    json(system.call("DELETE", occurrencePath(id, "2026-06-29"), user, null), 200);
    assertEquals(
        List.of(
            "2026-06-01",
            "2026-06-08 skipped",
            "2026-06-17 from 2026-06-15",
            "2026-06-22",
            "2026-06-29"),
        preview(id, user, "2026-06-01", 5),
        "skipped, moved, and the restored one back");
    TestSystem.eventually(
        Duration.ofSeconds(10),
        () ->
            json(system.get(path + "/history", user), 200).getJsonArray("items").stream()
                .filter(e -> "task.updated".equals(((JsonObject) e).getString("type")))
                .count(),
        n -> n == 4);

    json(system.call("POST", path + "/complete", user, null), 200);
    JsonObject next = open(seriesOf(id, user, 2));
    assertEquals("2026-06-15", next.getString("occurrence"), "the skipped 8th is passed over");
    assertEquals("2026-06-17", next.getString("dueDate"), "at its moved date");
    assertNull(
        next.getJsonObject("recurrence").getValue("exceptions"), "passed exceptions are history");
    json(
        system.call("POST", "/api/v1/tasks/" + next.getString("id") + "/complete", user, null),
        200);
    assertEquals(
        "2026-06-22",
        open(seriesOf(id, user, 3)).getString("dueDate"),
        "the series goes on from the rule, not from the moved date");

    String completion =
        json(
                system.call(
                    "POST",
                    "/api/v1/tasks",
                    user,
                    new JsonObject()
                        .put("title", "haircut")
                        .put("dueDate", "2026-06-01")
                        .put(
                            "recurrence",
                            new JsonObject().put("preset", "monthly").put("mode", "completion"))
                        .encode()),
                201)
            .getString("id");
    assertTrue(
        json(
                system.call("POST", occurrencePath(completion, "2026-07-01") + "/skip", user, null),
                400)
            .encode()
            .contains("mode schedule"));
  }

  @Test
  void aRuleChangedFromNowOnKeepsTheHistoryAndCountOrUntilEndTheSeries() throws Exception {
    String user = TestSystem.uniqueUser("rulechange");
    String id =
        json(
                system.call(
                    "POST",
                    "/api/v1/tasks",
                    user,
                    new JsonObject()
                        .put("title", "plants")
                        .put("dueDate", "2026-06-01")
                        .put(
                            "recurrence",
                            new JsonObject().put("rule", "FREQ=DAILY").put("overdue", "catch-up"))
                        .encode()),
                201)
            .getString("id");
    json(system.call("POST", "/api/v1/tasks/" + id + "/complete", user, null), 200);
    JsonObject second = open(seriesOf(id, user, 2));
    String secondPath = "/api/v1/tasks/" + second.getString("id");
    JsonObject same =
        json(
            system.call(
                "PATCH",
                secondPath,
                user,
                new JsonObject().put("recurrence", second.getJsonObject("recurrence")).encode()),
            200);
    assertEquals(
        second.getInteger("version"),
        same.getInteger("version"),
        "the same rule sent back changes nothing");
    JsonObject changed =
        json(
            system.call(
                "PATCH",
                secondPath,
                user,
                new JsonObject()
                    .put(
                        "recurrence",
                        new JsonObject()
                            .put("rule", "FREQ=DAILY;INTERVAL=3")
                            .put("overdue", "catch-up"))
                    .encode()),
            200);
    assertEquals("2026-06-02", changed.getString("seriesStart"), "the series restarts here");
    json(system.call("POST", secondPath + "/complete", user, null), 200);
    JsonArray series = seriesOf(id, user, 3);
    assertEquals("2026-06-05", open(series).getString("dueDate"), "the new rule from now on");
    assertEquals(
        "FREQ=DAILY",
        series.getJsonObject(0).getJsonObject("recurrence").getString("rule"),
        "the completed history keeps its rule");
    assertEquals("2026-06-01", series.getJsonObject(0).getString("dueDate"));

    // COUNT=3 with the second occurrence skipped: skipped ones count, as an EXDATE does
    String counted =
        json(
                system.call(
                    "POST",
                    "/api/v1/tasks",
                    user,
                    new JsonObject()
                        .put("title", "three times")
                        .put("dueDate", "2026-06-01")
                        .put(
                            "recurrence",
                            new JsonObject()
                                .put("rule", "FREQ=DAILY;COUNT=3")
                                .put("overdue", "catch-up"))
                        .encode()),
                201)
            .getString("id");
    post(occurrencePath(counted, "2026-06-02") + "/skip", user, null);
    assertEquals(
        List.of("2026-06-01", "2026-06-02 skipped", "2026-06-03"),
        preview(counted, user, "2026-06-01", 10));
    json(system.call("POST", occurrencePath(counted, "2026-06-04") + "/skip", user, null), 400);
    json(system.call("POST", "/api/v1/tasks/" + counted + "/complete", user, null), 200);
    JsonObject last = open(seriesOf(counted, user, 2));
    assertEquals("2026-06-03", last.getString("dueDate"));
    json(
        system.call("POST", "/api/v1/tasks/" + last.getString("id") + "/complete", user, null),
        200);

    String until =
        json(
                system.call(
                    "POST",
                    "/api/v1/tasks",
                    user,
                    new JsonObject()
                        .put("title", "until tuesday")
                        .put("dueDate", "2026-06-01")
                        .put(
                            "recurrence",
                            new JsonObject()
                                .put("rule", "FREQ=DAILY;UNTIL=20260602")
                                .put("overdue", "catch-up"))
                        .encode()),
                201)
            .getString("id");
    json(system.call("POST", "/api/v1/tasks/" + until + "/complete", user, null), 200);
    JsonObject tuesday = open(seriesOf(until, user, 2));
    assertEquals("2026-06-02", tuesday.getString("dueDate"));
    json(
        system.call("POST", "/api/v1/tasks/" + tuesday.getString("id") + "/complete", user, null),
        200);
    awaitCompletionsHandled(user, 6); // two of the first series, two of COUNT's, two of UNTIL's
    assertEquals(
        2,
        json(system.get("/api/v1/tasks/" + counted + "/series", user), 200)
            .getJsonArray("items")
            .size(),
        "COUNT ended the series");
    assertEquals(
        2,
        json(system.get("/api/v1/tasks/" + until + "/series", user), 200)
            .getJsonArray("items")
            .size(),
        "UNTIL ended the series");
  }
}
