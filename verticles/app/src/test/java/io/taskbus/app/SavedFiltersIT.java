package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskbus.api.query.ViewCounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Saved filters and the task page's view counts, through the API on real PostgreSQL: the round trip
 * of a filter, another user's view of it (nothing, and 404s), every kind of bad input (a 4xx
 * problem, nothing changed), and the counts of a set of tasks around "today" in Kiritimati
 * (UTC+14), each saved filter's count equal to what search finds with it; the counting statements
 * use the per-user indexes.
 */
class SavedFiltersIT {

  private static final String FILTERS = "/api/v1/filters";
  private static final String ZONE = "Pacific/Kiritimati";

  private static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api");
  }

  @AfterAll
  static void stop() {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void aSavedFilterIsCreatedListedChangedAndDeleted() throws Exception {
    String user = TestSystem.uniqueUser("filters");
    HttpResponse<String> created =
        system.call(
            "POST",
            FILTERS,
            user,
            "{\"name\":\"  Work this week \",\"filter\":\"tag:work & due < 7d\",\"position\":3}");
    JsonObject work = json(created, 201);
    String id = work.getString("id");
    assertEquals(FILTERS + "/" + id, created.headers().firstValue("Location").orElseThrow());
    String etag = created.headers().firstValue("ETag").orElseThrow();
    assertEquals("Work this week", work.getString("name"), "stored trimmed");
    assertEquals("tag:work & due < 7d", work.getString("filter"));
    assertEquals(3, work.getInteger("position"));
    assertTrue(
        work.getString("createdAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*Z"),
        work.getString("createdAt"));
    assertEquals(work.getString("createdAt"), work.getString("updatedAt"));
    assertEquals(
        java.util.Set.of("id", "name", "filter", "position", "createdAt", "updatedAt"),
        work.fieldNames());

    // without a position: after the last one; equal positions go by name
    JsonObject home = create(user, "home", "tag:home", null);
    assertEquals(4, home.getInteger("position"));
    JsonObject errands = create(user, "Errands", "tag:errands", 3);
    assertEquals(
        List.of("Errands", "Work this week", "home"), names(user), "by position, then name");

    // a POST with an Idempotency-Key is answered the same when repeated, once saved
    String key = UUID.randomUUID().toString();
    String body = "{\"name\":\"Someday\",\"filter\":\"no:due\"}";
    HttpResponse<String> first = system.call("POST", FILTERS, user, body, "Idempotency-Key", key);
    HttpResponse<String> again = system.call("POST", FILTERS, user, body, "Idempotency-Key", key);
    assertEquals(201, first.statusCode(), first.body());
    assertEquals(201, again.statusCode(), again.body());
    assertEquals(first.body(), again.body());
    assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(""));
    assertEquals(
        first.headers().firstValue("ETag").orElseThrow(),
        again.headers().firstValue("ETag").orElseThrow());
    assertEquals(4, names(user).size());

    // a merge patch; If-Match guards it as for tasks
    String path = FILTERS + "/" + id;
    assertProblem(
        system.call("PATCH", path, user, "{\"name\":\"Work\"}", "If-Match", "\"stale\""),
        412,
        "precondition-failed");
    HttpResponse<String> patched =
        system.call("PATCH", path, user, "{\"name\":\"Work\",\"position\":0}", "If-Match", etag);
    JsonObject renamed = json(patched, 200);
    assertEquals("Work", renamed.getString("name"));
    assertEquals(0, renamed.getInteger("position"));
    assertEquals("tag:work & due < 7d", renamed.getString("filter"), "untouched");
    assertEquals(work.getString("createdAt"), renamed.getString("createdAt"));
    assertTrue(
        Instant.parse(renamed.getString("updatedAt"))
            .isAfter(Instant.parse(work.getString("updatedAt"))));
    String newEtag = patched.headers().firstValue("ETag").orElseThrow();
    assertNotEquals(etag, newEtag);
    assertProblem(
        system.call("DELETE", path, user, null, "If-Match", etag), 412, "precondition-failed");
    // the whole representation sent back, read-only fields unchanged: accepted, nothing changes
    HttpResponse<String> same = system.call("PATCH", path, user, renamed.encode());
    assertEquals(renamed, json(same, 200));
    assertEquals(newEtag, same.headers().firstValue("ETag").orElseThrow());
    assertEquals(List.of("Work", "Errands", "home", "Someday"), names(user));

    assertEquals(204, system.call("DELETE", path, user, null, "If-Match", newEtag).statusCode());
    assertEquals(List.of("Errands", "home", "Someday"), names(user));
    assertProblem(system.call("DELETE", path, user, null), 404, "not-found");
    assertProblem(system.call("PATCH", path, user, "{\"name\":\"back\"}"), 404, "not-found");
    assertEquals(
        204,
        system.call("DELETE", FILTERS + "/" + errands.getString("id"), user, null).statusCode());
    assertEquals(List.of("home", "Someday"), names(user));
  }

  @Test
  void anotherUserSeesNoneOfThemAndGets404s() throws Exception {
    String owner = TestSystem.uniqueUser("filter-owner");
    String other = TestSystem.uniqueUser("filter-other");
    JsonObject saved = create(owner, "Mine", "priority:high", null);
    String path = FILTERS + "/" + saved.getString("id");
    String unknown = FILTERS + "/" + UUID.randomUUID();

    assertEquals(List.of(), names(other));
    assertEquals(
        new JsonObject(),
        json(system.get("/api/v1/tasks/counts", other), 200).getJsonObject("filters"));
    for (String[] call :
        new String[][] {
          {"PATCH", "{\"name\":\"Theirs\"}"}, {"DELETE", null},
        }) {
      JsonObject mine = assertProblem(system.call(call[0], path, other, call[1]), 404, "not-found");
      JsonObject none =
          assertProblem(system.call(call[0], unknown, other, call[1]), 404, "not-found");
      assertEquals(mine.getString("detail"), none.getString("detail"), "as an unknown id");
    }
    // the same name is the other user's to take
    create(other, "mine", "priority:low", null);

    assertEquals(List.of("Mine"), names(owner));
    JsonObject still = json(system.get(FILTERS, owner), 200).getJsonArray("items").getJsonObject(0);
    assertEquals(saved, still, "unchanged");
  }

  @Test
  void badInputIsAProblemAndChangesNothing() throws Exception {
    String user = TestSystem.uniqueUser("filter-errors");
    JsonObject kept = create(user, "Kept", "tag:kept", 1);
    String path = FILTERS + "/" + kept.getString("id");
    String before = system.get(FILTERS, user).body();

    assertField(post(user, "{\"name\":\"   \",\"filter\":\"open\"}"), 400, "name");
    assertField(post(user, "{\"filter\":\"open\"}"), 400, "name");
    assertField(
        post(user, "{\"name\":\"" + "n".repeat(101) + "\",\"filter\":\"open\"}"), 400, "name");
    assertField(post(user, "{\"name\":7,\"filter\":\"open\"}"), 400, "name");
    assertField(post(user, "{\"name\":\"x\"}"), 400, "filter");
    assertField(post(user, "{\"name\":\"x\",\"filter\":\"\"}"), 400, "filter");
    assertField(
        post(user, "{\"name\":\"x\",\"filter\":\"open\",\"position\":-1}"), 400, "position");
    assertField(
        post(user, "{\"name\":\"x\",\"filter\":\"open\",\"position\":1.5}"), 400, "position");
    assertField(
        post(user, "{\"name\":\"x\",\"filter\":\"open\",\"colour\":\"red\"}"), 400, "colour");
    assertField(post(user, "{\"name\":\"x\",\"filter\":\"open\",\"id\":\"y\"}"), 400, "id");
    // the same message and position as search's filter parameter gives
    String bad = "priority:urgent & tag:x";
    JsonObject fromSave =
        assertField(
            post(user, new JsonObject().put("name", "x").put("filter", bad).encode()),
            400,
            "filter");
    JsonObject fromSearch =
        assertField(
            system.get(
                "/api/v1/tasks?filter=" + URLEncoder.encode(bad, StandardCharsets.UTF_8), user),
            400,
            "filter");
    assertEquals(9, fromSave.getInteger("position"));
    assertEquals(fromSearch, fromSave);
    // names are unique per user whatever their case
    assertField(post(user, "{\"name\":\"  kEPT\",\"filter\":\"open\"}"), 409, "name");
    assertProblem(
        system.send("POST", FILTERS, user, "text/plain", "{\"name\":\"x\",\"filter\":\"open\"}"),
        415,
        "unsupported-media-type");
    assertProblem(post(user, "{\"name\":\"x\",\"filter\":"), 400, "malformed-json");
    assertProblem(post(user, "[]"), 400, "validation-failed");

    assertField(system.call("PATCH", path, user, "{\"name\":null}"), 400, "name");
    assertField(system.call("PATCH", path, user, "{\"filter\":\"(tag:a\"}"), 400, "filter");
    assertField(system.call("PATCH", path, user, "{\"position\":null}"), 400, "position");
    assertField(
        system.call("PATCH", path, user, "{\"createdAt\":\"2020-01-01T00:00:00Z\"}"),
        400,
        "createdAt");
    assertField(system.call("PATCH", path, user, "{\"name\":\"x\",\"tags\":[]}"), 400, "tags");
    create(user, "Other", "tag:other", 2);
    String withOther = system.get(FILTERS, user).body();
    assertField(system.call("PATCH", path, user, "{\"name\":\"OTHER\"}"), 409, "name");
    assertEquals(withOther, system.get(FILTERS, user).body(), "nothing changed");
    assertEquals(
        204,
        system
            .call(
                "DELETE",
                FILTERS
                    + "/"
                    + new JsonObject(withOther)
                        .getJsonArray("items")
                        .getJsonObject(1)
                        .getString("id"),
                user,
                null)
            .statusCode());
    assertEquals(before, system.get(FILTERS, user).body(), "nothing changed");

    // at most 100 per user
    for (int i = 1; i < 100; i++) {
      create(user, "filter " + i, "tag:t" + i, null);
    }
    assertEquals(100, names(user).size());
    assertProblem(
        post(user, "{\"name\":\"one too many\",\"filter\":\"open\"}"), 422, "too-many-filters");
    assertEquals(100, names(user).size());
    assertFalse(names(user).contains("one too many"));
  }

  @Test
  void createsAtOnceStopAtTheLimit() throws Exception {
    String user = TestSystem.uniqueUser("filter-crowd");
    for (int i = 0; i < 90; i++) {
      create(user, "filter " + i, "tag:t" + i, null);
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(30);
    try {
      List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        String body = new JsonObject().put("name", "at once " + i).put("filter", "open").encode();
        statuses.add(pool.submit(() -> post(user, body).statusCode()));
      }
      Map<Integer, Integer> byStatus = new java.util.TreeMap<>();
      for (java.util.concurrent.Future<Integer> status : statuses) {
        byStatus.merge(status.get(), 1, Integer::sum);
      }
      assertEquals(Map.of(201, 10, 422, 20), byStatus);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(100, names(user).size());
  }

  @Test
  void theViewsAreCountedInTheUsersZone() throws Exception {
    ZoneId zone = ZoneId.of(ZONE);
    // a fresh user whenever midnight in Kiritimati passed while the tasks were made and counted
    for (int attempt = 0; ; attempt++) {
      LocalDate today = LocalDate.now(zone);
      String user = TestSystem.uniqueUser("views");
      Map<String, Object> counts = countsAfterMaking(user, zone, today);
      if (LocalDate.now(zone).equals(today) || attempt == 2) {
        assertEquals(today, LocalDate.now(zone), "the day did not change during the check");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("today", 4L);
        expected.put("overdue", 3L);
        expected.put("upcoming", 5L);
        expected.put("inbox", 2L);
        expected.put("open", 11L);
        expected.put("completed", 1L);
        expected.put("trash", 2L);
        assertEquals(expected, counts);
        return;
      }
    }
  }

  /**
   * Makes the tasks (their titles say which views hold them), then reads the counts; the saved
   * filters' counts are checked against search on the way.
   */
  private static Map<String, Object> countsAfterMaking(String user, ZoneId zone, LocalDate today)
      throws Exception {
    Instant now = Instant.now();
    allDay(user, "overdue, today: two days ago", today.minusDays(2), "work");
    allDay(user, "overdue, today: yesterday", today.minusDays(1), "home");
    // between the start of today and now, whatever the time of day
    Instant startOfToday = today.atStartOfDay(zone).toInstant();
    Instant earlierToday = startOfToday.plus(Duration.between(startOfToday, now).dividedBy(2));
    timed(user, "overdue, today: earlier today", earlierToday, "work");
    allDay(user, "today, upcoming: today", today, "work");
    allDay(user, "upcoming: tomorrow", today.plusDays(1), "work");
    timed(user, "upcoming: in three days", now.plus(3, ChronoUnit.DAYS), "home");
    allDay(user, "upcoming: the 14th day", today.plusDays(14), "work");
    Instant fifteenth = today.plusDays(15).atStartOfDay(zone).toInstant();
    timed(user, "upcoming: the 14th day's last minute", fifteenth.minusSeconds(60), "work");
    timed(user, "open only: the 15th day's start", fifteenth, "work");
    system.createTask(user, new JsonObject().put("title", "inbox: no due"));
    system.createTask(
        user,
        new JsonObject()
            .put("title", "inbox: no due, work")
            .put("tags", new JsonArray().add("work")));
    String done = allDay(user, "completed: due today", today, "work");
    json(system.call("POST", "/api/v1/tasks/" + done + "/complete", user, null), 200);
    String trashed = allDay(user, "trash: due yesterday", today.minusDays(1), "work");
    assertEquals(204, system.call("DELETE", "/api/v1/tasks/" + trashed, user, null).statusCode());
    String doneAndTrashed = allDay(user, "trash: completed", today, "work");
    json(system.call("POST", "/api/v1/tasks/" + doneAndTrashed + "/complete", user, null), 200);
    assertEquals(
        204, system.call("DELETE", "/api/v1/tasks/" + doneAndTrashed, user, null).statusCode());

    Map<String, String> filters = new LinkedHashMap<>();
    for (String filter :
        List.of(
            "tag:work & due < 7d",
            "completed",
            "tag:work & (completed | open)",
            "overdue | no:due",
            "today & !tag:home",
            "\"due\"")) {
      filters.put(create(user, "f " + filters.size(), filter, null).getString("id"), filter);
    }
    HttpResponse<String> response = system.get("/api/v1/tasks/counts?tz=" + ZONE, user);
    JsonObject counts = json(response, 200);
    JsonObject byFilter = counts.getJsonObject("filters");
    assertEquals(filters.keySet(), byFilter.fieldNames());
    List<Long> found = new ArrayList<>();
    for (Map.Entry<String, String> filter : filters.entrySet()) {
      JsonArray items =
          json(
                  system.get(
                      "/api/v1/tasks?limit=200&tz="
                          + ZONE
                          + "&filter="
                          + URLEncoder.encode(filter.getValue(), StandardCharsets.UTF_8),
                      user),
                  200)
              .getJsonArray("items");
      assertEquals(
          items.size(), byFilter.getLong(filter.getKey()), filter.getValue() + ": " + items);
      found.add(byFilter.getLong(filter.getKey()));
    }
    // by hand: work in the next seven days (open); completed (not trashed); work of either
    // status; overdue or without due; today's but not home's; the word "due" in the title
    assertEquals(List.of(4L, 1L, 9L, 5L, 2L, 2L), found);

    assertProblem(
        system.get("/api/v1/tasks/counts?tz=Nowhere/Land", user), 400, "validation-failed");
    Map<String, Object> fixed = new LinkedHashMap<>();
    for (String view : ViewCounts.FIXED) {
      fixed.put(view, counts.getLong(view));
    }
    return fixed;
  }

  @Test
  void theCountsUseThePerUserIndexes() throws Exception {
    String user = TestSystem.uniqueUser("plans");
    for (int i = 0; i < 5; i++) {
      system.createTask(user, "planned " + i);
    }
    create(user, "work", "tag:work & due < 7d", null);
    String crowd = "crowd-" + UUID.randomUUID();
    try (Connection c = TestSystem.jdbc();
        Statement s = c.createStatement()) {
      // a hundred other users with two hundred tasks each: reading them all would show
      s.execute(
          "INSERT INTO tasks (id, user_id, title, created_at, updated_at, due_date)"
              + " SELECT gen_random_uuid(), '"
              + crowd
              + "-' || (g % 100), 'crowd', now(), now(), current_date + (g % 30)"
              + " FROM generate_series(1, 20000) g");
      s.execute("ANALYZE tasks");
      Instant now = Instant.now();
      ZoneId zone = ZoneId.of(ZONE);
      String fixed = plan(c, user, ViewCounts.fixed(user, zone, now));
      String filters =
          plan(c, user, ViewCounts.filters(user, zone, now, List.of("tag:work & due < 7d")));
      System.out.println("counts plans:\n" + fixed + "\n" + filters);
      for (String plan : List.of(fixed, filters)) {
        assertFalse(plan.contains("Seq Scan on tasks"), plan);
        assertTrue(
            plan.contains("Index Scan using tasks_")
                || plan.contains("Index Only Scan using tasks_")
                || plan.contains("Bitmap Index Scan on tasks_"),
            plan);
      }
    } finally {
      try (Connection c = TestSystem.jdbc();
          PreparedStatement s = c.prepareStatement("DELETE FROM tasks WHERE user_id LIKE ?")) {
        s.setString(1, crowd + "-%");
        s.executeUpdate();
      }
    }
  }

  /** EXPLAIN of a statement as the api runs it: as taskbus_user, scoped to the user. */
  private static String plan(Connection c, String user, ViewCounts.Statement statement)
      throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute("BEGIN");
      s.execute("SET LOCAL ROLE taskbus_user");
      try (PreparedStatement scope =
          c.prepareStatement("SELECT set_config('taskbus.user', ?, true)")) {
        scope.setString(1, user);
        scope.execute();
      }
      List<Object> values = new ArrayList<>();
      Matcher m = Pattern.compile("\\$(\\d+)").matcher(statement.sql());
      StringBuilder sql = new StringBuilder("EXPLAIN ");
      while (m.find()) {
        values.add(statement.params().get(Integer.parseInt(m.group(1)) - 1));
        m.appendReplacement(sql, "?");
      }
      m.appendTail(sql);
      StringBuilder plan = new StringBuilder();
      try (PreparedStatement explain = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < values.size(); i++) {
          Object value = values.get(i);
          if (value instanceof String[] array) {
            explain.setArray(i + 1, c.createArrayOf("text", array));
          } else {
            explain.setObject(i + 1, value);
          }
        }
        try (ResultSet rs = explain.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
      }
      s.execute("ROLLBACK");
      return plan.toString();
    }
  }

  // --- helpers ---

  private static JsonObject create(String user, String name, String filter, Integer position)
      throws Exception {
    JsonObject body = new JsonObject().put("name", name).put("filter", filter);
    if (position != null) {
      body.put("position", position);
    }
    return json(system.call("POST", FILTERS, user, body.encode()), 201);
  }

  private static HttpResponse<String> post(String user, String body) throws Exception {
    return system.send("POST", FILTERS, user, "application/json", body);
  }

  private static List<String> names(String user) throws Exception {
    List<String> names = new ArrayList<>();
    for (Object item : json(system.get(FILTERS, user), 200).getJsonArray("items")) {
      names.add(((JsonObject) item).getString("name"));
    }
    return names;
  }

  private static String allDay(String user, String title, LocalDate due, String tag)
      throws Exception {
    return system
        .createTask(
            user,
            new JsonObject()
                .put("title", title)
                .put("dueDate", due.toString())
                .put("tags", new JsonArray().add(tag)))
        .getString("id");
  }

  private static String timed(String user, String title, Instant due, String tag) throws Exception {
    return system
        .createTask(
            user,
            new JsonObject()
                .put("title", title)
                .put(
                    "dueAt",
                    java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        due.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneId.of(ZONE))))
                .put("timeZone", ZONE)
                .put("tags", new JsonArray().add(tag)))
        .getString("id");
  }

  private static JsonObject json(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.uri() + ": " + response.body());
    return new JsonObject(response.body());
  }

  /** A problem document of that status and type; {@code slug} null: any type. */
  private static JsonObject assertProblem(HttpResponse<String> response, int status, String slug) {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    JsonObject problem = new JsonObject(response.body());
    assertEquals(status, problem.getInteger("status"));
    if (slug != null) {
      assertEquals("https://taskbus.io/problems/" + slug, problem.getString("type"));
    }
    return problem;
  }

  /** A problem whose only error names {@code field}; that error. */
  private static JsonObject assertField(HttpResponse<String> response, int status, String field) {
    JsonObject problem = assertProblem(response, status, null);
    JsonArray errors = problem.getJsonArray("errors");
    assertEquals(1, errors.size(), problem.encode());
    JsonObject error = errors.getJsonObject(0);
    assertEquals(field, error.getString("field"), problem.encode());
    return error;
  }
}
