package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Calendar times near daylight-saving changes: the wall-clock time a calendar app shows is the one
 * the JSON API gives. In the week before New York's March change in 2027-2029 ical4j's own
 * conversion put DUE, DTSTART and EXDATE an hour late.
 */
class CalendarDstTest {

  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

  private static Task task(String dueAt, String zone, Task.Series series) {
    return CalendarExportTest.task("water the plants", dueAt, zone, series, new JsonArray());
  }

  @Test
  void aDueTimeInTheWeekBeforeTheChangeIsItsWallClockTime() {
    for (String[] c :
        new String[][] {
          {"2027-03-07T12:00:00-05:00", "America/New_York", "20270307T120000"},
          {"2028-03-06T09:30:00-05:00", "America/New_York", "20280306T093000"},
          {"2027-04-04T09:00:00+10:00", "Australia/Sydney", "20270404T090000"},
          {"2027-03-14T12:00:00-04:00", "America/New_York", "20270314T120000"},
        }) {
      String ics = CalendarExport.render(List.of(task(c[0], c[1], null)), Map.of());
      assertTrue(ics.contains("DUE;TZID=" + c[1] + ":" + c[2]), c[0] + ":\n" + ics);
    }
  }

  @Test
  void aSeriesStartingThatWeekKeepsItsStartAndItsSkippedOccurrence() {
    JsonObject recurrence =
        new JsonObject()
            .put("rule", "FREQ=DAILY")
            .put("mode", "schedule")
            .put(
                "exceptions",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("occurrence", "2027-03-08T12:00:00-05:00")
                            .put("action", "skip")));
    Task.Series series =
        new Task.Series(
            recurrence, UUID.randomUUID(), "2027-03-06T12:00", "2027-03-06T12:00:00-05:00");
    String ics =
        CalendarExport.render(
            List.of(task("2027-03-06T12:00:00-05:00", "America/New_York", series)),
            Map.of(
                series.id(),
                new JsonObject().put("start", "2027-03-06T12:00").put("rule", "FREQ=DAILY")));
    assertTrue(ics.contains("DTSTART;TZID=America/New_York:20270306T120000"), ics);
    assertTrue(ics.contains("EXDATE;TZID=America/New_York:20270308T120000"), ics);
    assertTrue(ics.contains("RECURRENCE-ID;TZID=America/New_York:20270306T120000"), ics);
  }
}
