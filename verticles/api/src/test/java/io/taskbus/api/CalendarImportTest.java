package io.taskbus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link CalendarImport} makes of VTODOs, and what it refuses, component by component. */
class CalendarImportTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void whatHasNoPlaceInATaskIsReportedPerComponent() {
    CalendarImport.Result result =
        CalendarImport.read(
            calendar(
                "BEGIN:VEVENT\r\nUID:e1\r\nDTSTAMP:20261201T000000Z\r\nDTSTART:20270101T090000Z\r\n"
                    + "SUMMARY:a meeting\r\nEND:VEVENT\r\n",
                todo("loc", "SUMMARY:with a place\r\nLOCATION:home\r\n"),
                todo(
                    "late",
                    "SUMMARY:late alarm\r\nDUE;VALUE=DATE:20270101\r\n"
                        + "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER;RELATED=END:PT1H\r\nEND:VALARM\r\n"),
                todo("cancelled", "SUMMARY:called off\r\nSTATUS:CANCELLED\r\n"),
                todo("twice", "SUMMARY:one\r\n"),
                todo("twice", "SUMMARY:two\r\n"),
                todo("orphan", "SUMMARY:moved\r\nRECURRENCE-ID;VALUE=DATE:20270101\r\n"),
                todo("fine", "SUMMARY:fine\r\n")),
            BERLIN);
    List<String> reported = new ArrayList<>();
    for (Object e : result.problems().errors()) {
      JsonObject error = (JsonObject) e;
      reported.add(error.getString("uid") + " " + error.getString("property"));
    }
    assertEquals(
        List.of(
            "e1 VEVENT",
            "loc LOCATION",
            "late VALARM",
            "cancelled STATUS",
            "twice UID",
            "orphan RECURRENCE-ID"),
        reported);
    assertEquals(
        List.of("fine"), result.drafts().stream().map(d -> d.body().getString("title")).toList());
  }

  @Test
  void dueFromDurationOrCustomZoneAndAlarmsRelatedToTheStart() {
    CalendarImport.Result result =
        CalendarImport.read(
            calendar(
                "BEGIN:VTIMEZONE\r\nTZID:Custom Berlin\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
                    + "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
                    + "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
                    + "BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\n"
                    + "TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
                    + "END:VTIMEZONE\r\n",
                todo(
                    "custom",
                    "SUMMARY:custom zone\r\nDTSTART;TZID=Custom Berlin:20270115T090000\r\n"
                        + "DURATION:PT2H\r\n"
                        + "BEGIN:VALARM\r\nACTION:AUDIO\r\nTRIGGER:-PT10M\r\nEND:VALARM\r\n"
                        + "BEGIN:VALARM\r\nACTION:NONE\r\nTRIGGER;VALUE=DATE-TIME:19760401T005545Z\r\n"
                        + "END:VALARM\r\n")),
            BERLIN);
    assertTrue(result.problems().isEmpty(), result.problems().errors().encode());
    JsonObject body = result.drafts().get(0).body();
    assertEquals("2027-01-15T11:00+01:00", body.getString("dueAt"));
    assertEquals("Europe/Berlin", body.getString("timeZone"), "the import's zone");
    assertEquals(
        new JsonArray().add(new JsonObject().put("before", "PT2H10M")),
        body.getJsonArray("reminders"),
        "10 minutes before the start, two hours before the due; ACTION:NONE is no alarm");
  }

  @Test
  void aSeriesStartsAtItsFirstOpenOccurrenceWithItsExceptions() {
    CalendarImport.Result result =
        CalendarImport.read(
            calendar(
                todo(
                    "s",
                    "SUMMARY:weekly\r\nDTSTART;VALUE=DATE:20270104\r\nDUE;VALUE=DATE:20270104\r\n"
                        + "RRULE:FREQ=WEEKLY\r\nEXDATE;VALUE=DATE:20270111,20270201\r\n"),
                todo(
                    "s",
                    "SUMMARY:weekly\r\nRECURRENCE-ID;VALUE=DATE:20270104\r\n"
                        + "DUE;VALUE=DATE:20270104\r\nSTATUS:COMPLETED\r\n"
                        + "COMPLETED:20270104T100000Z\r\n"),
                todo(
                    "s",
                    "SUMMARY:weekly\r\nRECURRENCE-ID;VALUE=DATE:20270118\r\n"
                        + "DUE;VALUE=DATE:20270118\r\n"),
                todo(
                    "s",
                    "SUMMARY:weekly\r\nRECURRENCE-ID;VALUE=DATE:20270125\r\n"
                        + "DUE;VALUE=DATE:20270127\r\n")),
            BERLIN);
    assertTrue(result.problems().isEmpty(), result.problems().errors().encode());
    assertEquals(1, result.drafts().size());
    JsonObject body = result.drafts().get(0).body();
    assertEquals("2027-01-18", body.getString("dueDate"));
    assertEquals(
        new JsonObject()
            .put("rule", "FREQ=WEEKLY")
            .put("mode", "schedule")
            .put(
                "exceptions",
                new JsonArray()
                    .add(new JsonObject().put("occurrence", "2027-02-01").put("skip", true))
                    .add(new JsonObject().put("occurrence", "2027-01-25").put("to", "2027-01-27"))),
        body.getJsonObject("recurrence"),
        "the EXDATE before it is behind it; the override due elsewhere moved");
    assertEquals(List.of(1), result.history().stream().map(h -> h.index()).toList());
  }

  @Test
  void noCalendarIsABadRequestAndNoVtodoToo() {
    ApiException garbage =
        assertThrows(ApiException.class, () -> CalendarImport.read("hello", BERLIN));
    assertEquals(400, garbage.status());
    ApiException empty =
        assertThrows(ApiException.class, () -> CalendarImport.read(calendar(), BERLIN));
    assertEquals(400, empty.status());
  }

  private static String calendar(String... components) {
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//taskbus tests//EN\r\n"
        + String.join("", components)
        + "END:VCALENDAR\r\n";
  }

  private static String todo(String uid, String properties) {
    return "BEGIN:VTODO\r\nUID:"
        + uid
        + "\r\nDTSTAMP:20261201T000000Z\r\n"
        + properties
        + "END:VTODO\r\n";
  }
}
