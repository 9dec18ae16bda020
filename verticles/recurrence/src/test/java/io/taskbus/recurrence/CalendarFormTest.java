package io.taskbus.recurrence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The form of a series for RFC 5545-only calendar software gives the occurrences taskbus gives:
 * expanded from its DTSTART by a parser that knows no RSCALE or SKIP (lib-recur in RFC 5545 mode
 * here; ical.js in CalendarExportIT), or listed.
 */
class CalendarFormTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD",
        "FREQ=MONTHLY;BYMONTHDAY=30;SKIP=BACKWARD",
        "FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=29;SKIP=BACKWARD;COUNT=40",
        "FREQ=MONTHLY;BYMONTHDAY=3,15,31;SKIP=BACKWARD",
        "FREQ=MONTHLY;BYMONTH=2,4,6;BYMONTHDAY=31;SKIP=BACKWARD",
        "FREQ=MONTHLY;SKIP=BACKWARD",
        "FREQ=MONTHLY;INTERVAL=3;SKIP=FORWARD",
        "FREQ=MONTHLY;BYMONTHDAY=30;SKIP=FORWARD",
        "FREQ=MONTHLY;BYMONTHDAY=31;SKIP=OMIT",
        "FREQ=MONTHLY;BYMONTHDAY=30,31;BYSETPOS=-1;SKIP=BACKWARD",
        "FREQ=YEARLY;BYMONTHDAY=13;BYDAY=FR",
        "FREQ=YEARLY;BYMONTH=2,4;BYMONTHDAY=-1",
        "FREQ=YEARLY;BYMONTH=2,4;BYMONTHDAY=-1;COUNT=16",
        "FREQ=YEARLY;INTERVAL=2;BYMONTH=2,4;BYMONTHDAY=-1,10",
        "FREQ=YEARLY;BYMONTH=1,2,3;BYSETPOS=2",
        "FREQ=YEARLY;SKIP=BACKWARD",
        "FREQ=YEARLY;SKIP=FORWARD",
        "FREQ=YEARLY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=29;SKIP=BACKWARD",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;SKIP=FORWARD",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;SKIP=FORWARD",
        "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31;SKIP=FORWARD",
        "FREQ=YEARLY;BYMONTH=2,4,9;BYMONTHDAY=31;SKIP=BACKWARD",
        "FREQ=YEARLY;INTERVAL=2;BYMONTH=2,4;BYMONTHDAY=31;SKIP=BACKWARD",
        "FREQ=YEARLY;BYMONTH=1,2;BYMONTHDAY=30;SKIP=FORWARD",
        "FREQ=YEARLY;BYMONTH=1,3;BYMONTHDAY=31;SKIP=FORWARD",
        "RSCALE=GREGORIAN;FREQ=WEEKLY;BYDAY=MO,TH",
        "FREQ=DAILY;BYMONTHDAY=31;SKIP=BACKWARD",
        "FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD;UNTIL=20290315",
        "FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD;UNTIL=20290228T090000",
        "FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD;UNTIL=20290228T073000",
        "FREQ=WEEKLY;UNTIL=20270601T120000Z",
        "FREQ=DAILY;UNTIL=20270329",
      })
  void aParserWithoutRfc7529ExpandsTheSameDates(String text) {
    Rule rule = RuleParser.parse(text);
    for (LocalDate day = LocalDate.parse("2027-01-26");
        day.isBefore(LocalDate.parse("2028-03-05"));
        day = day.plusDays(3)) {
      for (Anchor anchor :
          List.of(
              Anchor.allDay(day, NEW_YORK),
              Anchor.at(LocalDateTime.of(day, LocalTime.of(9, 0)), BERLIN),
              Anchor.at(LocalDateTime.of(day, LocalTime.of(0, 0)), NEW_YORK))) {
        Schedule schedule;
        try {
          schedule =
              Schedule.of(
                  Recurrence.of(text, RecurrenceMode.SCHEDULE, OverduePolicy.CATCH_UP), anchor);
        } catch (RecurrenceException e) {
          continue; // nothing from this start (UNTIL before it): nothing to export either
        }
        List<LocalDateTime> expected = take(new Instances(rule, anchor), 120);
        JsonObject form = CalendarForm.of(schedule);
        List<LocalDateTime> exported;
        if (form.containsKey("rule")) {
          String plain = form.getString("rule");
          assertFalse(plain.contains("SKIP") || plain.contains("RSCALE"), plain);
          LocalDateTime start = local(form.getString("start"));
          Anchor from =
              anchor.isAllDay()
                  ? Anchor.allDay(start.toLocalDate(), anchor.zone())
                  : Anchor.at(start, anchor.zone());
          exported = take(new Instances(RuleParser.parse(plain), from), 120);
        } else {
          exported =
              form.getJsonArray("dates").stream().limit(120).map(d -> local((String) d)).toList();
        }
        assertEquals(expected, exported, text + " from " + anchor + " as " + form);
      }
    }
  }

  @Test
  void monthEndsBecomeTheLastDayThatExistsOrDayOfYearSixty() {
    assertEquals(
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        rule("FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD", "2027-01-31"));
    assertEquals(
        "FREQ=MONTHLY;BYMONTHDAY=3,-1",
        rule("FREQ=MONTHLY;BYMONTHDAY=3,31;SKIP=BACKWARD", "2027-01-31"));
    // ical.js puts a yearly BYMONTHDAY=-1 in several months into March; monthly it gets right
    assertEquals(
        "FREQ=MONTHLY;BYMONTH=2,4;BYMONTHDAY=-1",
        rule("FREQ=YEARLY;BYMONTH=2,4;BYMONTHDAY=30;SKIP=BACKWARD", "2027-01-30"));
    assertFalse(
        form("FREQ=YEARLY;INTERVAL=2;BYMONTH=2,4;BYMONTHDAY=-1", "2027-01-30").containsKey("rule"));
    // the 30th, or February's last day: BYSETPOS would say it, ical.js would not read it
    assertFalse(form("FREQ=MONTHLY;SKIP=BACKWARD", "2027-01-30").containsKey("rule"));
    assertFalse(form("FREQ=MONTHLY;BYMONTHDAY=1,15;BYSETPOS=-1", "2027-01-30").containsKey("rule"));
    assertEquals(
        "FREQ=MONTHLY;BYMONTHDAY=15",
        rule("FREQ=MONTHLY;BYMONTHDAY=15;SKIP=BACKWARD", "2027-01-15"));
    assertEquals(
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", rule("FREQ=YEARLY;SKIP=BACKWARD", "2028-02-29"));
    assertEquals("FREQ=YEARLY;BYYEARDAY=60", rule("FREQ=YEARLY;SKIP=FORWARD", "2028-02-29"));
    assertEquals(
        "FREQ=MONTHLY;BYMONTHDAY=31", rule("FREQ=MONTHLY;BYMONTHDAY=31;SKIP=OMIT", "2027-01-31"));
    JsonObject forward = form("FREQ=MONTHLY;BYMONTHDAY=31;SKIP=FORWARD", "2027-01-31");
    assertFalse(forward.containsKey("rule"));
    assertEquals(CalendarForm.MAX_DATES, forward.getJsonArray("dates").size());
    assertEquals("2027-03-01", forward.getJsonArray("dates").getString(1));
  }

  @Test
  void theStartIsTheFirstOccurrenceNotTheDueBeforeIt() {
    JsonObject form = form("FREQ=WEEKLY;BYDAY=FR", "2027-03-02");
    assertEquals("2027-03-05", form.getString("start"));
    assertTrue(form.containsKey("rule"));
  }

  private static JsonObject form(String rule, String date) {
    return CalendarForm.of(
        Schedule.of(
            Recurrence.of(rule, RecurrenceMode.SCHEDULE, OverduePolicy.CATCH_UP),
            Anchor.allDay(LocalDate.parse(date), BERLIN)));
  }

  private static String rule(String rule, String date) {
    return form(rule, date).getString("rule");
  }

  private static LocalDateTime local(String text) {
    return text.length() == 10 ? LocalDate.parse(text).atStartOfDay() : LocalDateTime.parse(text);
  }

  private static List<LocalDateTime> take(Instances instances, int n) {
    List<LocalDateTime> out = new ArrayList<>();
    while (out.size() < n && instances.hasNext()) {
      out.add(instances.next());
    }
    return out;
  }
}
