package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/tasks.ics}: exports of Apple Reminders, Thunderbird and Tasks.org (written by
 * hand after those apps' output) become the expected tasks, read back through the JSON API; a
 * document with one component that cannot be imported imports nothing and names it; and a round
 * trip export, import into another user, export again, compared component by component with
 * Mozilla's ical.js, which also builds a calendar that taskbus imports.
 */
class CalendarImportIT {

  private static final Path FIXTURES = Path.of("src", "test", "resources", "calendars");

  static TestSystem system;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start("api,kafka,recurrence");
  }

  @AfterAll
  static void stop() {
    system.close();
  }

  @Test
  void appleRemindersExport() throws Exception {
    String user = TestSystem.uniqueUser("apple");
    JsonObject answer = imported(user, "apple-reminders.ics", null);
    Map<String, JsonObject> tasks = tasksByTitle(user);
    assertEquals(Set.of("Take out the recycling", "Renew passport", "Buy milk"), tasks.keySet());

    JsonObject recycling = tasks.get("Take out the recycling");
    assertEquals("2027-01-15T09:00:00+01:00", recycling.getString("dueAt"));
    assertEquals("Europe/Berlin", recycling.getString("timeZone"));
    assertEquals("high", recycling.getString("priority"));
    assertEquals("schedule", recycling.getJsonObject("recurrence").getString("mode"));
    assertEquals(
        List.of(
            "2027-01-15T09:00:00+01:00", "2027-01-22T09:00:00+01:00", "2027-01-29T09:00:00+01:00"),
        occurrences(user, recycling, 3));
    assertEquals(
        new JsonArray().add(new JsonObject().put("at", "2027-01-15T07:30:00Z")),
        recycling.getJsonArray("reminders"));

    JsonObject passport = tasks.get("Renew passport");
    assertEquals("2027-01-20", passport.getString("dueDate"));
    assertEquals("low", passport.getString("priority"));
    assertEquals(
        "Photos at the shop on the corner, bring the old one", passport.getString("description"));
    assertNull(passport.getValue("recurrence"));

    JsonObject milk = tasks.get("Buy milk");
    assertEquals(true, milk.getBoolean("completed"));
    assertEquals("2026-11-30T17:30:00Z", milk.getString("completedAt"));
    assertEquals("medium", milk.getString("priority"), "no PRIORITY: medium");

    assertEquals(
        "8A1C53F2-3C1B-4E0F-9B5A-2E5A6C7D8E9F",
        itemFor(answer, recycling.getString("id")).getString("uid"));
    assertCreatedOncePerTask(user, tasks.values(), 1);
  }

  @Test
  void thunderbirdExport() throws Exception {
    String user = TestSystem.uniqueUser("thunderbird");
    imported(user, "thunderbird.ics", "America/New_York");
    Map<String, JsonObject> tasks = tasksByTitle(user);
    assertEquals(Set.of("Quarterly report", "Call the plumber"), tasks.keySet());

    JsonObject report = tasks.get("Quarterly report");
    assertEquals("2027-01-29T17:00:00-05:00", report.getString("dueAt"));
    assertEquals("America/New_York", report.getString("timeZone"));
    assertEquals(new JsonArray().add("reports").add("work"), report.getJsonArray("tags"));
    assertEquals("medium", report.getString("priority"));
    assertEquals("Numbers from finance first.", report.getString("description"));
    assertEquals(
        List.of(
            "2027-01-29T17:00:00-05:00", "2027-02-26T17:00:00-05:00", "2027-03-26T17:00:00-04:00"),
        occurrences(user, report, 3),
        "the last Friday of each month, at 17:00 New York time across the DST change");
    assertEquals(
        new JsonArray()
            .add(new JsonObject().put("before", "PT30M"))
            // 15 minutes before its start at 09:00, which is 8 h 15 min before its due at 17:00
            .add(new JsonObject().put("before", "PT8H15M")),
        report.getJsonArray("reminders"));

    JsonObject plumber = tasks.get("Call the plumber");
    assertEquals("2027-01-10T10:00:00-05:00", plumber.getString("dueAt"), "UTC, shown in tz");
    assertEquals("America/New_York", plumber.getString("timeZone"));
    assertEquals("high", plumber.getString("priority"));
    assertEquals(
        new JsonArray().add(new JsonObject().put("before", "PT24H")),
        plumber.getJsonArray("reminders"));
    assertCreatedOncePerTask(user, tasks.values(), 0);
  }

  @Test
  void tasksOrgExport() throws Exception {
    String user = TestSystem.uniqueUser("tasks-org");
    imported(user, "tasks-org.ics", "Europe/Berlin");
    Map<String, JsonObject> tasks = tasksByTitle(user);
    assertEquals(Set.of("Water the plants", "Pay the electricity bill"), tasks.keySet());

    JsonObject plants = tasks.get("Water the plants");
    assertEquals("2027-01-05", plants.getString("dueDate"));
    assertEquals(new JsonArray().add("garden").add("home"), plants.getJsonArray("tags"));
    assertEquals("low", plants.getString("priority"));
    assertEquals(List.of("2027-01-05", "2027-01-08", "2027-01-11"), occurrences(user, plants, 3));
    assertEquals(
        new JsonArray().add(new JsonObject().put("before", "PT0S")),
        plants.getJsonArray("reminders"));

    JsonObject bill = tasks.get("Pay the electricity bill");
    assertEquals("2026-12-15T12:00:00+01:00", bill.getString("dueAt"), "floating, read in tz");
    assertEquals("Europe/Berlin", bill.getString("timeZone"));
    assertEquals(true, bill.getBoolean("completed"));
    assertEquals("2026-12-14T19:00:00Z", bill.getString("completedAt"));
    assertCreatedOncePerTask(user, tasks.values(), 1);
  }

  @Test
  void oneUnmappableComponentImportsNothingAndIsNamed() throws Exception {
    String user = TestSystem.uniqueUser("unmappable");
    String document =
        calendar(
            todo("fine-1", "SUMMARY:a fine one\r\nDUE;VALUE=DATE:20270101\r\n"),
            todo("hourly", "SUMMARY:every hour\r\nDUE:20270101T090000Z\r\nRRULE:FREQ=HOURLY\r\n"),
            todo("fine-2", "SUMMARY:another fine one\r\n"));
    HttpResponse<String> response = post(user, document, null);
    assertEquals(422, response.statusCode(), response.body());
    assertEquals(
        "application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
    JsonArray errors = new JsonObject(response.body()).getJsonArray("errors");
    assertEquals(1, errors.size(), response.body());
    JsonObject error = errors.getJsonObject(0);
    assertEquals(1, error.getInteger("index"));
    assertEquals("hourly", error.getString("uid"));
    assertEquals("RRULE", error.getString("property"));
    assertEquals("items[1].RRULE", error.getString("field"));
    assertTrue(error.getString("message").contains("HOURLY"), error.encode());
    assertEquals(0, allTasks(user).size(), "nothing imported");
    assertEquals(0, TestSystem.count("SELECT count(*) FROM outbox WHERE user_id = ?", user));
    assertEquals(0, TestSystem.count("SELECT count(*) FROM tasks WHERE user_id = ?", user));
  }

  @Test
  void anImportRetriedWithItsIdempotencyKeyCreatesTheTasksOnce() throws Exception {
    String user = TestSystem.uniqueUser("import-retry");
    String document = calendar(todo("a", "SUMMARY:first\r\n"), todo("b", "SUMMARY:second\r\n"));
    List<HttpResponse<String>> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      answers.add(
          system.http.send(
              java.net.http.HttpRequest.newBuilder(system.uri("/api/v1/tasks.ics"))
                  .header("Authorization", "Bearer " + system.token(user))
                  .header("Content-Type", "text/calendar")
                  .header("Idempotency-Key", "import-1")
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString(document))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (HttpResponse<String> answer : answers) {
      assertEquals(201, answer.statusCode(), answer.body());
      assertEquals(answers.get(0).body(), answer.body());
    }
    assertEquals("true", answers.get(2).headers().firstValue("Idempotent-Replayed").orElse(""));
    assertEquals(2, allTasks(user).size());
  }

  @Test
  void aBodyThatIsNoCalendarIs400AndAnotherMediaType415() throws Exception {
    String user = TestSystem.uniqueUser("not-ics");
    HttpResponse<String> garbage = post(user, "hello, this is not a calendar", null);
    assertEquals(400, garbage.statusCode(), garbage.body());
    assertEquals(
        "application/problem+json", garbage.headers().firstValue("Content-Type").orElse(""));
    HttpResponse<String> json =
        system.send("POST", "/api/v1/tasks.ics", user, "application/json", "{\"title\":\"x\"}");
    assertEquals(415, json.statusCode(), json.body());
    assertEquals(0, allTasks(user).size());
  }

  @Test
  void roundTripThroughAnotherUserComparedWithIcalJs() throws Exception {
    String first = TestSystem.uniqueUser("roundtrip-a");
    String second = TestSystem.uniqueUser("roundtrip-b");
    create(
        first,
        new JsonObject()
            .put("title", "pay rent")
            .put("priority", "high")
            .put("tags", new JsonArray().add("home").add("money"))
            .put("dueAt", "2027-01-31T09:00:00-05:00")
            .put("timeZone", "America/New_York")
            .put("recurrence", new JsonObject().put("rule", "FREQ=MONTHLY;BYMONTHDAY=-1"))
            .put(
                "reminders",
                new JsonArray()
                    .add(new JsonObject().put("before", "PT15M"))
                    .add(new JsonObject().put("at", "2027-01-30T08:00:00Z"))));
    String rent = "/api/v1/tasks/" + rentId(first);
    HttpResponse<String> skipped =
        system.call("POST", rent + "/occurrences/2027-03-31T09:00:00-04:00/skip", first, null);
    assertEquals(200, skipped.statusCode(), skipped.body());
    HttpResponse<String> moved =
        system.call(
            "POST",
            rent + "/occurrences/2027-04-30T09:00:00-04:00/move",
            first,
            "{\"to\":\"2027-05-03T10:00:00-04:00\"}");
    assertEquals(200, moved.statusCode(), moved.body());
    create(
        first,
        new JsonObject()
            .put("title", "water the plants")
            .put("description", "the big ones, twice")
            .put("dueDate", "2027-01-04")
            .put("recurrence", new JsonObject().put("preset", "weekdays"))
            .put("reminders", new JsonArray().add(new JsonObject().put("before", "PT0S"))));
    create(
        first,
        new JsonObject()
            .put("title", "dentist")
            .put("priority", "low")
            .put("dueAt", "2027-02-03T14:30:00+01:00")
            .put("timeZone", "Europe/Berlin"));
    String done = create(first, new JsonObject().put("title", "sent the letter")).getString("id");
    assertEquals(
        200, system.call("POST", "/api/v1/tasks/" + done + "/complete", first, null).statusCode());

    String exported = export(first);
    JsonObject answer = imported(second, exported);
    assertEquals(4, answer.getJsonArray("items").size(), answer.encode());
    String again = export(second);

    JsonArray before = components(exported);
    JsonArray after = components(again);
    assertEquals(
        7, before.size(), "two series (each with its open occurrence, one moved) and two tasks");
    assertTrue(
        before.encode().contains("\"exdates\":[\"2027-03-31T13:00:00.000Z\"]"), before.encode());
    assertEquals(before, after, "ical.js reads the same tasks from both exports");

    // and a calendar built with ical.js's own API
    String built = NodeTools.run(Duration.ofSeconds(60), "ical-build.mjs");
    String third = TestSystem.uniqueUser("icaljs");
    imported(third, built);
    Map<String, JsonObject> tasks = tasksByTitle(third);
    JsonObject trip = tasks.get("Plan the trip");
    assertEquals("2027-03-01T08:00:00Z", trip.getString("dueAt"));
    assertEquals("UTC", trip.getString("timeZone"));
    assertEquals("high", trip.getString("priority"));
    assertEquals("Trains, then the hotel", trip.getString("description"));
    assertEquals(
        List.of(
            "2027-03-01T08:00:00+00:00",
            "2027-03-08T08:00:00+00:00",
            "2027-03-15T08:00:00+00:00",
            "2027-03-22T08:00:00+00:00"),
        occurrences(trip.getString("id"), third, 10),
        "COUNT=4 Mondays");
    assertEquals(
        new JsonArray().add(new JsonObject().put("before", "PT2H")),
        trip.getJsonArray("reminders"));
    JsonObject gift = tasks.get("Buy a birthday present");
    assertEquals("2027-04-10", gift.getString("dueDate"));
    assertEquals("low", gift.getString("priority"));
    assertEquals(new JsonArray().add("family").add("shopping"), gift.getJsonArray("tags"));
    assertEquals(
        new JsonArray().add(new JsonObject().put("at", "2027-04-09T18:00:00Z")),
        gift.getJsonArray("reminders"));
  }

  // --- helpers ---

  private static JsonObject imported(String user, String fixture, String tz) throws Exception {
    String document = Files.readString(FIXTURES.resolve(fixture), StandardCharsets.UTF_8);
    HttpResponse<String> response = post(user, document, tz);
    assertEquals(201, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static JsonObject imported(String user, String document) throws Exception {
    HttpResponse<String> response = post(user, document, null);
    assertEquals(201, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static HttpResponse<String> post(String user, String document, String tz)
      throws Exception {
    return system.send(
        "POST",
        "/api/v1/tasks.ics" + (tz == null ? "" : "?tz=" + tz),
        user,
        "text/calendar; charset=utf-8",
        document);
  }

  private static JsonObject create(String user, JsonObject body) throws Exception {
    HttpResponse<String> response = system.postJson("/api/v1/tasks", user, body.encode());
    assertEquals(201, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static String rentId(String user) throws Exception {
    return tasksByTitle(user).get("pay rent").getString("id");
  }

  private static String export(String user) throws Exception {
    HttpResponse<String> response = system.get("/api/v1/tasks.ics", user);
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  private static JsonArray allTasks(String user) throws Exception {
    HttpResponse<String> response = system.get("/api/v1/tasks?status=all&limit=200", user);
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body()).getJsonArray("items");
  }

  private static Map<String, JsonObject> tasksByTitle(String user) throws Exception {
    Map<String, JsonObject> byTitle = new HashMap<>();
    for (Object item : allTasks(user)) {
      JsonObject task = (JsonObject) item;
      byTitle.put(task.getString("title"), task);
    }
    return byTitle;
  }

  private static List<String> occurrences(String user, JsonObject task, int limit)
      throws Exception {
    return occurrences(task.getString("id"), user, limit);
  }

  private static List<String> occurrences(String id, String user, int limit) throws Exception {
    HttpResponse<String> response =
        system.get("/api/v1/tasks/" + id + "/occurrences?from=2026-12-01&limit=" + limit, user);
    assertEquals(200, response.statusCode(), response.body());
    List<String> starts = new ArrayList<>();
    for (Object o : new JsonObject(response.body()).getJsonArray("items")) {
      starts.add(((JsonObject) o).getString("start"));
    }
    return starts;
  }

  private static JsonObject itemFor(JsonObject answer, String taskId) {
    for (Object o : answer.getJsonArray("items")) {
      if (taskId.equals(((JsonObject) o).getString("taskId"))) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no item for " + taskId + " in " + answer.encode());
  }

  /** Every task has its task.created event once in Kafka; {@code completed} also task.completed. */
  private static void assertCreatedOncePerTask(
      String user, java.util.Collection<JsonObject> tasks, int completed) {
    Set<String> ids = tasks.stream().map(t -> t.getString("id")).collect(Collectors.toSet());
    try (EventLog log = new EventLog()) {
      log.readUntil(
          Duration.ofSeconds(20),
          records ->
              log.ofUser(user, "task.created").size() >= ids.size()
                  && log.ofUser(user, "task.completed").size() >= completed);
      log.readToEnd(Duration.ofSeconds(20));
      List<String> created =
          log.ofUser(user, "task.created").stream()
              .map(CalendarImportIT::subject)
              .sorted()
              .toList();
      assertEquals(new TreeSet<>(ids).stream().toList(), created, "one task.created per task");
      assertEquals(completed, log.ofUser(user, "task.completed").size());
    }
  }

  private static String subject(ConsumerRecord<String, String> record) {
    return new JsonObject(record.value()).getString("subject");
  }

  private static String calendar(String... todos) {
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//taskbus tests//EN\r\n"
        + String.join("", todos)
        + "END:VCALENDAR\r\n";
  }

  private static String todo(String uid, String properties) {
    return "BEGIN:VTODO\r\nUID:"
        + uid
        + "\r\nDTSTAMP:20261201T000000Z\r\n"
        + properties
        + "END:VTODO\r\n";
  }

  /** The VTODOs of a document as ical.js reads them (see ical-components.mjs). */
  private static JsonArray components(String document) throws Exception {
    Path file = Files.createTempFile("taskbus-", ".ics");
    try {
      Files.writeString(file, document, StandardCharsets.UTF_8);
      return new JsonArray(
          NodeTools.run(
              Duration.ofSeconds(60), "ical-components.mjs", file.toAbsolutePath().toString()));
    } finally {
      Files.delete(file);
    }
  }
}
