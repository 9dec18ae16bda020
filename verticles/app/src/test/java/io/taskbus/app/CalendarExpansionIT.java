package io.taskbus.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /tasks.ics read by Mozilla's ical.js (the parser of Thunderbird), which knows RFC 5545 and
 * nothing of RFC 7529: every series it expands from the document must give the occurrences
 * taskbus's {@code /occurrences} gives, for random rules (seeded; the seed is in every failure,
 * {@code -Dtaskbus.calendarSeed=} repeats a run) in zones with daylight saving, timed and all-day;
 * every DUE must be the task's due, skipped and moved occurrences must be EXDATEs and
 * RECURRENCE-IDs of occurrences ical.js generates, and every reminder must fall when taskbus fires
 * it. The script is {@code src/test/node/ical-expand.mjs}.
 */
class CalendarExpansionIT {

  private static final String SCRIPT = "ical-expand.mjs";
  private static final int OCCURRENCES = 50;
  private static final int RANDOM_SERIES = 40;
  private static final List<String> ZONES =
      List.of("America/New_York", "Europe/Berlin", "Australia/Sydney");

  /** The week before each zone's March (Sydney: April) change in 2027. */
  private static final Map<String, LocalDate> WEEK_BEFORE_CHANGE =
      Map.of(
          "America/New_York", LocalDate.parse("2027-03-07"),
          "Europe/Berlin", LocalDate.parse("2027-03-21"),
          "Australia/Sydney", LocalDate.parse("2027-03-28"));

  private static final List<LocalTime> TIMES =
      List.of(
          LocalTime.of(9, 0),
          LocalTime.of(0, 30),
          LocalTime.of(23, 30),
          LocalTime.of(12, 15),
          LocalTime.of(7, 45));
  private static final String[] DAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  private static final DateTimeFormatter UNTIL_UTC =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");
  private static final DateTimeFormatter UNTIL_DATE = DateTimeFormatter.ofPattern("uuuuMMdd");

  /** Fails under CI (where the build installs the tools), skips loudly on a developer's machine. */
  @BeforeAll
  static void nodeAndIcalJs() throws Exception {
    String missing = null;
    if (!Files.isDirectory(NodeTools.DIR.resolve("node_modules").resolve("ical.js"))) {
      missing = NodeTools.DIR.resolve("node_modules/ical.js") + " (the build's npm ci)";
    } else {
      try {
        Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
          missing = "node";
        }
      } catch (java.io.IOException e) {
        missing = "node (apt-get install nodejs npm)";
      }
    }
    if (missing == null) {
      return;
    }
    String message = "CalendarExpansionIT needs " + missing;
    if (System.getenv("CI") != null) {
      fail(message + "; CI is set, so this is a failure, not a skip");
    }
    System.err.println("\n!!!!!!!!!! SKIPPING CalendarExpansionIT: " + message + " !!!!!!!!!!\n");
    Assumptions.abort(message);
  }

  /** One task created for the test and what the API said about it. */
  private record Created(JsonObject task, String rule) {}

  @Test
  void icalJsExpandsDueTimesAndRemindersAsTaskbusHasThem() throws Exception {
    long seed = Long.getLong("taskbus.calendarSeed", System.nanoTime());
    Random random = new Random(seed);
    String tag = "seed " + seed + " (-Dtaskbus.calendarSeed=" + seed + ")";
    try (TestSystem system = TestSystem.start("api,recurrence")) {
      String user = TestSystem.uniqueUser("ical");
      List<Created> series = new ArrayList<>();
      List<String> refused = new ArrayList<>();
      for (String[] fixed : fixedSeries()) {
        series.add(
            create(
                system,
                user,
                fixed[0],
                fixed[1].length() == 10 ? LocalDate.parse(fixed[1]) : null,
                fixed[1].length() == 10 ? null : ZonedDateTime.parse(fixed[1]),
                fixed[2],
                true,
                tag));
      }
      while (series.size() < RANDOM_SERIES + fixedSeries().size()) {
        String zone = ZONES.get(random.nextInt(ZONES.size()));
        LocalDate day = startDay(random, zone);
        boolean allDay = random.nextInt(3) == 0;
        String rule = rule(random, day, allDay);
        ZonedDateTime at =
            allDay
                ? null
                : ZonedDateTime.of(day, TIMES.get(random.nextInt(TIMES.size())), ZoneId.of(zone));
        Created c =
            tryCreate(system, user, rule, allDay ? day : null, at, zone, random.nextInt(4) == 0);
        if (c == null) {
          refused.add(rule + " from " + day);
        } else {
          series.add(c);
        }
      }
      System.out.println("CalendarExpansionIT " + tag + ": rules taskbus refused " + refused);
      assertTrue(refused.size() < RANDOM_SERIES / 2, tag + ": too many refused: " + refused);

      // skip and move future occurrences of every third series
      for (int i = 0; i < series.size(); i += 3) {
        JsonObject task = series.get(i).task();
        JsonArray next = occurrences(system, user, task, 8);
        if (next.size() >= 6) {
          String skipped = next.getJsonObject(2).getString("start");
          String moved = next.getJsonObject(4).getString("start");
          expect200(system.call("POST", occurrencePath(task, skipped) + "/skip", user, null), tag);
          String to =
              moved.length() == 10
                  ? LocalDate.parse(moved).plusDays(1).toString()
                  : OffsetDateTime.parse(moved).plusHours(26).toString();
          expect200(
              system.call(
                  "POST",
                  occurrencePath(task, moved) + "/move",
                  user,
                  new JsonObject().put("to", to).encode()),
              tag);
        }
      }

      List<Created> singles = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String zone = ZONES.get(i % ZONES.size());
        LocalDate day = startDay(random, zone);
        boolean allDay = i % 4 == 3;
        singles.add(
            create(
                system,
                user,
                null,
                allDay ? day : null,
                allDay ? null : ZonedDateTime.of(day, TIMES.get(i % TIMES.size()), ZoneId.of(zone)),
                zone,
                true,
                tag));
      }
      // due the morning after a change: a day before is 23 or 25 hours before
      for (String due :
          List.of(
              "2027-03-14T09:00-04:00[America/New_York]",
              "2027-11-07T09:00-05:00[America/New_York]",
              "2027-03-28T09:00+02:00[Europe/Berlin]",
              "2027-04-04T09:00+10:00[Australia/Sydney]",
              "2027-10-03T09:00+11:00[Australia/Sydney]")) {
        ZonedDateTime at = ZonedDateTime.parse(due);
        singles.add(create(system, user, null, null, at, at.getZone().getId(), true, tag));
      }

      Map<String, JsonArray> expectedSeries = new LinkedHashMap<>();
      JsonObject question = new JsonObject();
      JsonObject limits = new JsonObject();
      for (Created c : series) {
        JsonObject task = c.task();
        JsonArray items = occurrences(system, user, task, OCCURRENCES);
        expectedSeries.put(task.getString("seriesId"), items);
        limits.put(task.getString("seriesId") + "@taskbus", OCCURRENCES);
      }
      question.put("series", limits);

      HttpResponse<String> ics = system.get("/api/v1/tasks.ics", user);
      assertEquals(200, ics.statusCode(), ics.body());
      JsonObject read = icalJs(ics.body(), question, tag);

      Map<String, JsonObject> tasks = allTasks(system, user);
      List<String> failures = new ArrayList<>();
      for (Created c : series) {
        compareSeries(c, expectedSeries.get(c.task().getString("seriesId")), read, failures);
      }
      compareDues(read, tasks, expectedSeries, failures);
      compareAlarms(read, tasks, failures);
      if (!failures.isEmpty()) {
        fail(
            tag
                + ": "
                + failures.size()
                + " differences between ical.js and taskbus:\n"
                + String.join("\n", failures)
                + "\n--- the document ---\n"
                + ics.body());
      }
    }
  }

  /** Month ends and the SKIP forms, each once for sure: {rule, due, zone}. */
  private static List<String[]> fixedSeries() {
    return List.of(
        new String[] {
          "FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD",
          "2027-01-31T09:00-05:00[America/New_York]",
          "America/New_York"
        },
        new String[] {"FREQ=MONTHLY;SKIP=BACKWARD", "2027-01-30", "Europe/Berlin"},
        new String[] {
          "FREQ=MONTHLY;BYMONTHDAY=29;SKIP=BACKWARD",
          "2027-01-29T23:30+11:00[Australia/Sydney]",
          "Australia/Sydney"
        },
        new String[] {
          "FREQ=MONTHLY;BYMONTHDAY=31;SKIP=FORWARD",
          "2027-03-31T09:00+02:00[Europe/Berlin]",
          "Europe/Berlin"
        },
        new String[] {"FREQ=YEARLY;SKIP=BACKWARD", "2028-02-29", "America/New_York"},
        new String[] {
          "FREQ=YEARLY;SKIP=FORWARD", "2028-02-29T07:45+01:00[Europe/Berlin]", "Europe/Berlin"
        },
        new String[] {
          "FREQ=YEARLY;BYMONTH=2,4;BYMONTHDAY=30;SKIP=BACKWARD", "2027-04-30", "Australia/Sydney"
        },
        new String[] {
          "FREQ=DAILY;COUNT=20", "2027-03-10T00:30-05:00[America/New_York]", "America/New_York"
        },
        new String[] {
          "FREQ=WEEKLY;BYDAY=FR;UNTIL=20270601T000000Z",
          "2027-03-23T09:00+01:00[Europe/Berlin]",
          "Europe/Berlin"
        });
  }

  private static LocalDate startDay(Random random, String zone) {
    int kind = random.nextInt(10);
    if (kind < 3) {
      return WEEK_BEFORE_CHANGE.get(zone).plusDays(random.nextInt(7));
    }
    if (kind < 5) {
      // a month end, or 29 February
      LocalDate month = LocalDate.of(2027 + random.nextInt(2), 1 + random.nextInt(12), 1);
      return month.withDayOfMonth(month.lengthOfMonth() - random.nextInt(3));
    }
    return LocalDate.of(2027, 1, 1).plusDays(random.nextInt(700));
  }

  /** A random rule of the kinds taskbus accepts. */
  private static String rule(Random random, LocalDate start, boolean allDay) {
    List<String> parts = new ArrayList<>();
    switch (random.nextInt(4)) {
      case 0 -> {
        parts.add("FREQ=DAILY");
        if (random.nextBoolean()) {
          parts.add("BYDAY=" + days(random, 1 + random.nextInt(3)));
        }
        if (random.nextInt(4) == 0) {
          parts.add(
              "BYMONTH=" + start.getMonthValue() + "," + (1 + (start.getMonthValue() + 2) % 12));
        }
      }
      case 1 -> {
        parts.add("FREQ=WEEKLY");
        if (random.nextBoolean()) {
          parts.add("BYDAY=" + days(random, 1 + random.nextInt(3)));
        }
        if (random.nextInt(4) == 0) {
          parts.add("WKST=SU");
        }
      }
      case 2 -> {
        parts.add("FREQ=MONTHLY");
        int[] monthDays = {1, 5, 15, 28, 29, 30, 31, -1, -2, -7};
        switch (random.nextInt(5)) {
          case 0 -> parts.add("BYMONTHDAY=" + monthDays[random.nextInt(monthDays.length)]);
          case 1 ->
              parts.add(
                  "BYDAY="
                      + (random.nextInt(5) == 0 ? -1 : 1 + random.nextInt(4))
                      + DAYS[random.nextInt(7)]);
          case 2 -> parts.add("BYDAY=MO,TU,WE,TH,FR;BYSETPOS=" + (random.nextBoolean() ? 1 : -1));
          case 3 -> parts.add("SKIP=" + skip(random));
          default -> parts.add("BYMONTHDAY=" + (29 + random.nextInt(3)) + ";SKIP=" + skip(random));
        }
      }
      default -> {
        parts.add("FREQ=YEARLY");
        int month = 1 + random.nextInt(12);
        switch (random.nextInt(4)) {
          case 0 -> parts.add("SKIP=" + skip(random));
          case 1 ->
              parts.add(
                  "BYMONTH="
                      + month
                      + ";BYMONTHDAY="
                      + (1 + random.nextInt(31))
                      + ";SKIP=BACKWARD");
          case 2 ->
              parts.add(
                  "BYMONTH="
                      + month
                      + ";BYDAY="
                      + (random.nextBoolean() ? "2" : "-1")
                      + DAYS[random.nextInt(7)]);
          default -> parts.add("BYMONTH=2,4;BYMONTHDAY=-1");
        }
      }
    }
    if (random.nextInt(3) == 0) {
      parts.add("INTERVAL=" + (2 + random.nextInt(2)));
    }
    switch (random.nextInt(4)) {
      case 0 -> parts.add("COUNT=" + (2 + random.nextInt(60)));
      case 1 -> {
        LocalDate until = start.plusDays(20 + random.nextInt(900));
        parts.add(
            "UNTIL="
                + (allDay || random.nextBoolean()
                    ? UNTIL_DATE.format(until)
                    : UNTIL_UTC.format(until.atTime(12, 0))));
      }
      default -> {
        // no end
      }
    }
    return String.join(";", parts);
  }

  private static String skip(Random random) {
    return List.of("BACKWARD", "FORWARD", "OMIT").get(random.nextInt(3));
  }

  private static String days(Random random, int n) {
    List<String> out = new ArrayList<>();
    while (out.size() < n) {
      String day = DAYS[random.nextInt(7)];
      if (!out.contains(day)) {
        out.add(day);
      }
    }
    return String.join(",", out);
  }

  private static Created create(
      TestSystem system,
      String user,
      String rule,
      LocalDate day,
      ZonedDateTime at,
      String zone,
      boolean reminders,
      String tag)
      throws Exception {
    Created c = tryCreate(system, user, rule, day, at, zone, reminders);
    if (c == null) {
      fail(tag + ": taskbus refused " + rule + " from " + (day == null ? at : day));
    }
    return c;
  }

  /** The task, or null when taskbus refuses the rule (400). */
  private static Created tryCreate(
      TestSystem system,
      String user,
      String rule,
      LocalDate day,
      ZonedDateTime at,
      String zone,
      boolean reminders)
      throws Exception {
    JsonObject body =
        new JsonObject()
            .put("title", "買い物 🛒 " + (rule == null ? "once" : rule) + " — überall")
            .put("timeZone", zone);
    if (day != null) {
      body.put("dueDate", day.toString());
    } else {
      body.put("dueAt", at.toOffsetDateTime().toString());
    }
    if (rule != null) {
      body.put("recurrence", new JsonObject().put("rule", rule));
    }
    if (reminders && day == null) {
      body.put(
          "reminders",
          new JsonArray()
              .add(new JsonObject().put("before", "P1D"))
              .add(new JsonObject().put("before", "PT90M")));
    }
    HttpResponse<String> response = system.call("POST", "/api/v1/tasks", user, body.encode());
    if (response.statusCode() == 400 && rule != null) {
      return null;
    }
    assertEquals(201, response.statusCode(), body + " -> " + response.body());
    return new Created(new JsonObject(response.body()), rule);
  }

  private static String occurrencePath(JsonObject task, String start) {
    return "/api/v1/tasks/"
        + task.getString("id")
        + "/occurrences/"
        + URLEncoder.encode(start, StandardCharsets.UTF_8);
  }

  private static void expect200(HttpResponse<String> response, String tag) {
    assertEquals(200, response.statusCode(), tag + ": " + response.body());
  }

  /** The series' occurrences from its start, as taskbus previews them. */
  private static JsonArray occurrences(TestSystem system, String user, JsonObject task, int limit)
      throws Exception {
    String from =
        task.getString("dueAt") != null ? task.getString("dueAt") : task.getString("dueDate");
    HttpResponse<String> response =
        system.get(
            "/api/v1/tasks/"
                + task.getString("id")
                + "/occurrences?limit="
                + limit
                + "&from="
                + URLEncoder.encode(from, StandardCharsets.UTF_8),
            user);
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body()).getJsonArray("items");
  }

  private static Map<String, JsonObject> allTasks(TestSystem system, String user) throws Exception {
    Map<String, JsonObject> out = new HashMap<>();
    String cursor = null;
    do {
      HttpResponse<String> page =
          system.get(
              "/api/v1/tasks?limit=200"
                  + (cursor == null
                      ? ""
                      : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
              user);
      assertEquals(200, page.statusCode(), page.body());
      JsonObject body = new JsonObject(page.body());
      body.getJsonArray("items")
          .forEach(t -> out.put(((JsonObject) t).getString("id"), (JsonObject) t));
      cursor = body.getString("nextCursor");
    } while (cursor != null);
    return out;
  }

  private static JsonObject icalJs(String ics, JsonObject question, String tag) throws Exception {
    Path dir = Files.createTempDirectory(TestSystem.scratch(), "ical-expand");
    Path document = dir.resolve("tasks.ics");
    Path questionFile = dir.resolve("question.json");
    Files.writeString(document, ics, StandardCharsets.UTF_8);
    Files.writeString(questionFile, question.encode(), StandardCharsets.UTF_8);
    String output =
        NodeTools.run(Duration.ofSeconds(60), SCRIPT, document.toString(), questionFile.toString());
    return new JsonObject(output.trim());
  }

  /** An occurrence as comparable text: a date, or the instant. */
  private static String key(String value) {
    if (value.length() == 10) {
      return value;
    }
    return value.endsWith("Z")
        ? Instant.parse(value).toString()
        : OffsetDateTime.parse(value).toInstant().toString();
  }

  private static void compareSeries(
      Created c, JsonArray items, JsonObject read, List<String> failures) {
    JsonObject task = c.task();
    String uid = task.getString("seriesId") + "@taskbus";
    String label =
        c.rule()
            + " from "
            + (task.getString("dueAt") != null
                ? task.getString("dueAt") + " " + task.getString("timeZone")
                : task.getString("dueDate"));
    JsonObject got = read.getJsonObject("series").getJsonObject(uid);
    if (got == null || got.containsKey("missing")) {
      failures.add(label + ": no recurring VTODO");
      return;
    }
    List<String> rule = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    String anchor =
        key(task.getString("dueAt") != null ? task.getString("dueAt") : task.getString("dueDate"));
    for (Object o : items) {
      JsonObject item = (JsonObject) o;
      String occurrence = key(item.getString("movedFrom", item.getString("start")));
      rule.add(occurrence);
      if (item.getBoolean("skipped", false)) {
        skipped.add(occurrence);
      } else {
        kept.add(occurrence);
      }
    }
    if (!rule.contains(anchor)) {
      // the first task, due before the rule's first occurrence: a task of the series all the same
      rule.add(0, anchor);
      kept.add(0, anchor);
    }
    List<String> window = rule.subList(0, Math.min(OCCURRENCES, rule.size()));
    kept.retainAll(window);
    skipped.retainAll(window);
    List<String> all = strings(got.getJsonArray("withoutExdates"));
    List<String> expanded = strings(got.getJsonArray("occurrences"));
    // fewer than asked for: the series ends there, and ical.js must end it there too
    boolean ends = items.size() < OCCURRENCES;
    if (!agree(window, all, ends)) {
      failures.add(label + ":\n  taskbus " + rule + "\n  ical.js " + all);
    }
    if (!agree(kept, expanded, ends)) {
      failures.add(label + " without skipped ones:\n  taskbus " + kept + "\n  ical.js " + expanded);
    }
    List<String> exdates = strings(got.getJsonArray("exdates"));
    if (!exdates.equals(skipped)) {
      failures.add(label + ": EXDATE " + exdates + ", skipped " + skipped);
    }
    for (String exdate : exdates) {
      if (!all.contains(exdate)) {
        failures.add(label + ": EXDATE " + exdate + " is no occurrence ical.js generates");
      }
    }
    for (Object o : read.getJsonArray("todos")) {
      JsonObject todo = (JsonObject) o;
      if (uid.equals(todo.getString("uid")) && todo.getString("recurrenceId") != null) {
        String id = key(todo.getString("recurrenceId"));
        if (!all.contains(id)) {
          failures.add(
              label + ": RECURRENCE-ID " + id + " is no occurrence ical.js generates " + all);
        }
      }
    }
  }

  /** Every DUE is the due of the task it stands for, or where an occurrence was moved. */
  private static void compareDues(
      JsonObject read,
      Map<String, JsonObject> tasks,
      Map<String, JsonArray> series,
      List<String> failures) {
    Map<String, String> expected = new HashMap<>();
    Map<String, String> titles = new HashMap<>();
    for (JsonObject task : tasks.values()) {
      String due =
          key(
              task.getString("dueAt") != null
                  ? task.getString("dueAt")
                  : task.getString("dueDate"));
      String k =
          task.getString("seriesId") == null
              ? task.getString("id") + "@taskbus"
              : task.getString("seriesId") + "@taskbus " + key(task.getString("occurrence"));
      expected.put(k, due);
      titles.put(k, task.getString("title"));
    }
    series.forEach(
        (id, items) -> {
          for (Object o : items) {
            JsonObject item = (JsonObject) o;
            if (item.containsKey("movedFrom")) {
              expected.putIfAbsent(
                  id + "@taskbus " + key(item.getString("movedFrom")),
                  key(item.getString("start")));
            }
          }
        });
    int seen = 0;
    for (Object o : read.getJsonArray("todos")) {
      JsonObject todo = (JsonObject) o;
      String k =
          todo.getString("uid")
              + (todo.getString("recurrenceId") == null
                  ? ""
                  : " " + key(todo.getString("recurrenceId")));
      String due = key(todo.getString("due"));
      if (!due.equals(expected.get(k))) {
        failures.add("DUE of " + k + " is " + due + ", taskbus says " + expected.get(k));
      }
      if (titles.containsKey(k) && !titles.get(k).equals(todo.getString("summary"))) {
        failures.add("SUMMARY of " + k + " reads " + todo.getString("summary"));
      }
      seen++;
    }
    if (seen < tasks.size()) {
      failures.add("only " + seen + " VTODOs with DUE for " + tasks.size() + " tasks");
    }
  }

  /** Each alarm of a task falls when taskbus has its reminder scheduled. */
  private static void compareAlarms(
      JsonObject read, Map<String, JsonObject> tasks, List<String> failures) throws Exception {
    Map<String, String> keyToTask = new HashMap<>();
    for (JsonObject task : tasks.values()) {
      keyToTask.put(
          task.getString("seriesId") == null
              ? task.getString("id") + "@taskbus"
              : task.getString("seriesId") + "@taskbus " + key(task.getString("occurrence")),
          task.getString("id"));
    }
    int checked = 0;
    try (Connection db = TestSystem.jdbc();
        var query =
            db.prepareStatement(
                "SELECT fire_at FROM reminders WHERE task_id = ? AND state = 'pending' ORDER BY fire_at")) {
      for (Object o : read.getJsonArray("todos")) {
        JsonObject todo = (JsonObject) o;
        String k =
            todo.getString("uid")
                + (todo.getString("recurrenceId") == null
                    ? ""
                    : " " + key(todo.getString("recurrenceId")));
        String id = keyToTask.get(k);
        JsonArray alarms = todo.getJsonArray("alarms");
        if (id == null || alarms.isEmpty()) {
          continue;
        }
        query.setObject(1, UUID.fromString(id));
        List<String> scheduled = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
          while (rs.next()) {
            scheduled.add(rs.getObject(1, OffsetDateTime.class).toInstant().toString());
          }
        }
        List<String> got = strings(alarms).stream().map(CalendarExpansionIT::key).sorted().toList();
        if (!got.equals(scheduled)) {
          failures.add("alarms of " + k + " at " + got + ", taskbus fires at " + scheduled);
        }
        checked++;
      }
    }
    if (checked < 10) {
      failures.add("only " + checked + " tasks with alarms were checked");
    }
  }

  /** taskbus's list is the start of ical.js's, or all of it when the series ends within it. */
  private static boolean agree(List<String> taskbus, List<String> icalJs, boolean ends) {
    if (ends ? icalJs.size() != taskbus.size() : icalJs.size() < taskbus.size()) {
      return false;
    }
    return icalJs.subList(0, taskbus.size()).equals(taskbus);
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(key((String) v)));
    return out;
  }
}
