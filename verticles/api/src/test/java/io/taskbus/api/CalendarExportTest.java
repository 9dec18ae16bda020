package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The calendar document as RFC 5545 requires it, where ical4j's own defaults were not enough. */
class CalendarExportTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  /** A live, open task due at {@code dueAt}; also the calendar DST test's. */
  static Task task(
      String title, String dueAt, String zone, Task.Series series, JsonArray reminders) {
    return new Task(
        UUID.randomUUID(),
        title,
        null,
        "medium",
        List.of(),
        null,
        OffsetDateTime.parse(dueAt).toInstant(),
        zone,
        false,
        null,
        NOW,
        NOW,
        null,
        1,
        series,
        reminders,
        false);
  }

  private static List<String> lines(String ics) {
    return Arrays.asList(ics.split("\r\n"));
  }

  /** The document with folded lines joined again (RFC 5545 3.1). */
  private static List<String> unfolded(String ics) {
    return lines(ics.replace("\r\n ", ""));
  }

  @Test
  void linesAreFoldedAt75OctetsNeverInsideACharacter() {
    String title = "会議の準備 📅 прочитать отчёт ".repeat(8) + "🧾".repeat(40);
    String ics =
        CalendarExport.render(
            List.of(
                task(title, "2027-01-05T09:00:00+01:00", "Europe/Berlin", null, new JsonArray())),
            Map.of());
    for (String line : lines(ics)) {
      byte[] octets = line.getBytes(StandardCharsets.UTF_8);
      assertTrue(octets.length <= 75, octets.length + " octets: " + line);
      // a split surrogate pair would not survive the trip through UTF-8
      assertEquals(line, new String(octets, StandardCharsets.UTF_8), "a character was split");
    }
    assertTrue(unfolded(ics).contains("SUMMARY:" + title), ics);
  }

  @Test
  void aRecurringTodoStartsAtEachDueAndHasNoDueOfItsOwn() {
    UUID id = UUID.randomUUID();
    Task.Series series =
        new Task.Series(
            new JsonObject().put("rule", "FREQ=WEEKLY;BYDAY=FR").put("mode", "schedule"),
            id,
            "2027-03-02T09:00",
            "2027-03-02T09:00:00-05:00");
    Task first =
        task(
            "water the plants",
            "2027-03-02T09:00:00-05:00",
            "America/New_York",
            series,
            new JsonArray().add(new JsonObject().put("before", "PT15M")));
    String ics =
        CalendarExport.render(
            List.of(first),
            Map.of(
                id, new JsonObject().put("start", "2027-03-05T09:00").put("rule", "FREQ=WEEKLY")));
    List<List<String>> todos = todos(unfolded(ics));
    assertEquals(2, todos.size(), ics);
    List<String> master = todos.get(0);
    assertTrue(master.contains("DTSTART;TZID=America/New_York:20270305T090000"), ics);
    assertTrue(master.contains("RRULE:FREQ=WEEKLY"), ics);
    assertTrue(
        master.contains("RDATE;TZID=America/New_York:20270302T090000"),
        "the first task, due before the rule's first Friday, is in the set:\n" + ics);
    assertTrue(master.contains("TRIGGER;RELATED=START:-PT15M"), ics);
    for (List<String> todo : todos) {
      boolean start = todo.stream().anyMatch(l -> l.startsWith("DTSTART"));
      boolean due = todo.stream().anyMatch(l -> l.startsWith("DUE"));
      assertFalse(start && due, "RFC 5545 wants DUE after DTSTART; never both equal:\n" + ics);
    }
    List<String> override = todos.get(1);
    assertTrue(override.contains("RECURRENCE-ID;TZID=America/New_York:20270302T090000"), ics);
    assertTrue(override.contains("DUE;TZID=America/New_York:20270302T090000"), ics);
    assertTrue(override.contains("TRIGGER;RELATED=END:-PT15M"), ics);
  }

  @Test
  void aSeriesTheEngineCannotReadIsWrittenAsItsTasks() {
    Task.Series series =
        new Task.Series(
            new JsonObject().put("rule", "FREQ=NEVER").put("mode", "schedule"),
            UUID.randomUUID(),
            "2027-03-02T09:00",
            "2027-03-02T09:00:00-05:00");
    Task task =
        task("plants", "2027-03-02T09:00:00-05:00", "America/New_York", series, new JsonArray());
    List<List<String>> todos = todos(unfolded(CalendarExport.render(List.of(task), Map.of())));
    assertEquals(1, todos.size());
    assertTrue(todos.get(0).contains("UID:" + task.id() + "@taskbus"), todos.toString());
    assertTrue(
        todos.get(0).contains("DUE;TZID=America/New_York:20270302T090000"), todos.toString());
    assertFalse(todos.get(0).stream().anyMatch(l -> l.startsWith("RRULE")), todos.toString());
  }

  @Test
  void aSeriesWithoutAPlainRuleListsItsDates() {
    UUID id = UUID.randomUUID();
    Task.Series series =
        new Task.Series(
            new JsonObject()
                .put("rule", "RSCALE=GREGORIAN;FREQ=MONTHLY;BYMONTHDAY=31;SKIP=FORWARD")
                .put("mode", "schedule"),
            id,
            "2027-01-31T09:00",
            "2027-01-31T09:00:00+01:00");
    String ics =
        CalendarExport.render(
            List.of(
                task(
                    "rent", "2027-01-31T09:00:00+01:00", "Europe/Berlin", series, new JsonArray())),
            Map.of(
                id,
                new JsonObject()
                    .put("start", "2027-01-31T09:00")
                    .put(
                        "dates",
                        new JsonArray()
                            .add("2027-01-31T09:00")
                            .add("2027-03-01T09:00")
                            .add("2027-03-31T09:00"))));
    List<String> master = todos(unfolded(ics)).get(0);
    assertTrue(master.contains("DTSTART;TZID=Europe/Berlin:20270131T090000"), ics);
    assertTrue(
        master.contains("RDATE;TZID=Europe/Berlin:20270131T090000,20270301T090000,20270331T090000"),
        ics);
    assertFalse(master.stream().anyMatch(l -> l.startsWith("RRULE")), ics);
  }

  @Test
  void anAllDaySeriesWritesDates() {
    UUID id = UUID.randomUUID();
    Task.Series series =
        new Task.Series(
            new JsonObject()
                .put("rule", "FREQ=WEEKLY;BYDAY=FR")
                .put("mode", "schedule")
                .put(
                    "exceptions",
                    new JsonArray()
                        .add(new JsonObject().put("occurrence", "2027-03-12").put("skip", true))),
            id,
            "2027-03-02",
            "2027-03-02");
    Task first =
        new Task(
            UUID.randomUUID(),
            "bins",
            null,
            "medium",
            List.of(),
            java.time.LocalDate.parse("2027-03-02"),
            null,
            "Europe/Berlin",
            false,
            null,
            NOW,
            NOW,
            null,
            1,
            series,
            new JsonArray(),
            false);
    String ics =
        CalendarExport.render(
            List.of(first),
            Map.of(id, new JsonObject().put("start", "2027-03-05").put("rule", "FREQ=WEEKLY")));
    List<String> master = todos(unfolded(ics)).get(0);
    assertTrue(master.contains("DTSTART;VALUE=DATE:20270305"), ics);
    assertTrue(master.contains("RDATE;VALUE=DATE:20270302"), ics);
    assertTrue(master.contains("EXDATE;VALUE=DATE:20270312"), ics);
    List<String> override = todos(unfolded(ics)).get(1);
    assertTrue(override.contains("RECURRENCE-ID;VALUE=DATE:20270302"), ics);
    assertTrue(override.contains("DUE;VALUE=DATE:20270302"), ics);
  }

  /**
   * taskbus stores a reminder of P1D as 24 hours and fires it 24 hours before the due: across the
   * spring change in New York that is 08:00 the day before a 09:00 due. RFC 5545 reads -P1D as
   * 09:00 the day before (nominal days), -PT24H as exactly 24 hours.
   */
  @Test
  void aReminderADayBeforeIsTwentyFourHoursAsTaskbusFiresIt() {
    String ics =
        CalendarExport.render(
            List.of(
                task(
                    "taxes",
                    "2027-03-14T09:00:00-04:00",
                    "America/New_York",
                    null,
                    new JsonArray()
                        .add(new JsonObject().put("before", Duration.parse("P1D").toString()))
                        .add(new JsonObject().put("before", "PT1H30M"))
                        .add(new JsonObject().put("before", "PT0S")))),
            Map.of());
    List<String> triggers = new ArrayList<>();
    unfolded(ics).stream().filter(l -> l.startsWith("TRIGGER")).forEach(triggers::add);
    assertEquals(
        List.of(
            "TRIGGER;RELATED=END:-PT24H",
            "TRIGGER;RELATED=END:-PT1H30M",
            "TRIGGER;RELATED=END:PT0S"),
        triggers,
        ics);
    assertEquals("-PT24H", CalendarExport.before(Duration.ofDays(1)));
    assertEquals("-PT1S", CalendarExport.before(Duration.parse("PT1.5S")));
  }

  /** The lines of each VTODO, without its VALARMs' BEGIN/END lines. */
  private static List<List<String>> todos(List<String> lines) {
    List<List<String>> out = new ArrayList<>();
    List<String> current = null;
    for (String line : lines) {
      if (line.equals("BEGIN:VTODO")) {
        current = new ArrayList<>();
      } else if (line.equals("END:VTODO")) {
        out.add(current);
        current = null;
      } else if (current != null) {
        current.add(line);
      }
    }
    return out;
  }
}
