package io.taskbus.recurrence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecurrenceTest {

  static Recurrence rule(String rule) {
    return Recurrence.parse(new JsonObject().put("rule", rule));
  }

  static String error(JsonObject json) {
    return assertThrows(RecurrenceException.class, () -> Recurrence.parse(json)).getMessage();
  }

  @Test
  void readsTheIssuesForm() {
    Recurrence r =
        Recurrence.parse(
            new JsonObject()
                .put("rule", "FREQ=MONTHLY;BYMONTHDAY=31")
                .put("mode", "schedule")
                .put("overdue", "catch-up"));
    assertEquals("FREQ=MONTHLY;BYMONTHDAY=31", r.rule());
    assertEquals(RecurrenceMode.SCHEDULE, r.mode());
    assertEquals(OverduePolicy.CATCH_UP, r.overdue());
  }

  @Test
  void defaultsToScheduleModeAndSkippingOverdueOccurrences() {
    Recurrence r = rule("FREQ=DAILY");
    assertEquals(RecurrenceMode.SCHEDULE, r.mode());
    assertEquals(OverduePolicy.SKIP_TO_FUTURE, r.overdue());
    assertEquals(
        new JsonObject().put("rule", "FREQ=DAILY").put("mode", "schedule").put("overdue", "skip"),
        r.toJson());
  }

  @Test
  void jsonRoundTrips() {
    Recurrence r =
        Recurrence.parse(
            new JsonObject()
                .put("rule", "FREQ=WEEKLY;BYDAY=MO")
                .put("mode", "completion")
                .put("overdue", "catch-up"));
    assertEquals(r, Recurrence.parse(r.toJson()));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "rrule:freq=weekly; byday=mo, we ;interval=02;  | FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE",
        "FREQ=WEEKLY;INTERVAL=1;COUNT=2;BYDAY=MO;     | FREQ=WEEKLY;BYDAY=MO;COUNT=2",
        "BYDAY=+1MO,-1FR;FREQ=MONTHLY                 | FREQ=MONTHLY;BYDAY=1MO,-1FR",
        "FREQ=WEEKLY;COUNT=3;BYDAY=SU,TH,TH            | FREQ=WEEKLY;BYDAY=SU,TH;COUNT=3",
        "FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD     | RSCALE=GREGORIAN;FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD",
        "RSCALE=gregorian;FREQ=YEARLY                 | RSCALE=GREGORIAN;FREQ=YEARLY",
        "FREQ=DAILY;UNTIL=20261231T235959z            | FREQ=DAILY;UNTIL=20261231T235959Z",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1 | FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
      })
  void normalisesTheRule(String given, String normalised) {
    assertEquals(normalised, rule(given).rule());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "daily    |   | FREQ=DAILY",
        "daily    | 3 | FREQ=DAILY;INTERVAL=3",
        "weekdays |   | FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "weekdays | 2 | FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR",
        "weekly   | 2 | FREQ=WEEKLY;INTERVAL=2",
        "monthly  |   | RSCALE=GREGORIAN;FREQ=MONTHLY;SKIP=BACKWARD",
        "monthly  | 6 | RSCALE=GREGORIAN;FREQ=MONTHLY;INTERVAL=6;SKIP=BACKWARD",
        "yearly   |   | RSCALE=GREGORIAN;FREQ=YEARLY;SKIP=BACKWARD",
      })
  void presetsExpandToRules(String preset, Integer interval, String expected) {
    JsonObject json = new JsonObject().put("preset", preset);
    if (interval != null) {
      json.put("interval", interval);
    }
    assertEquals(expected, Recurrence.parse(json).rule());
  }

  @Test
  void presetSkipCanBeChosen() {
    assertEquals(
        "FREQ=MONTHLY",
        Recurrence.parse(new JsonObject().put("preset", "monthly").put("skip", "omit")).rule());
    assertEquals(
        "RSCALE=GREGORIAN;FREQ=YEARLY;SKIP=FORWARD",
        Recurrence.parse(new JsonObject().put("preset", "yearly").put("skip", "forward")).rule());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "FREQ=MONTHLY;BYMONTHDAY=32 | rule: BYMONTHDAY=32 is out of range; use 1 to 31 or -1 to -31",
        "FREQ=MONTHLY;BYMONTHDAY=0 | rule: BYMONTHDAY=0 is out of range; use 1 to 31 or -1 to -31",
        "FREQ=MONTHLY;BYMONTHDAY=-32 | rule: BYMONTHDAY=-32 is out of range; use 1 to 31 or -1 to -31",
        "FREQ=SECONDLY | rule: FREQ=SECONDLY is not supported; use DAILY, WEEKLY, MONTHLY or YEARLY",
        "FREQ=MINUTELY;INTERVAL=15 | rule: FREQ=MINUTELY is not supported; use DAILY, WEEKLY, MONTHLY or YEARLY",
        "FREQ=HOURLY | rule: FREQ=HOURLY is not supported; use DAILY, WEEKLY, MONTHLY or YEARLY",
        "FREQ=FORTNIGHTLY | rule: FREQ=FORTNIGHTLY is not a frequency; use DAILY, WEEKLY, MONTHLY or YEARLY",
        "BYDAY=MO | rule: FREQ is missing; use DAILY, WEEKLY, MONTHLY or YEARLY",
        "FREQ=DAILY;COUNT=5;UNTIL=20261231T000000Z | rule: COUNT and UNTIL cannot both be set",
        "FREQ=DAILY;BYHOUR=9 | rule: BYHOUR is not supported; a task recurs at its due time",
        "FREQ=DAILY;BYMINUTE=0 | rule: BYMINUTE is not supported; a task recurs at its due time",
        "FREQ=DAILY;BYSECOND=0 | rule: BYSECOND is not supported; a task recurs at its due time",
        "FREQ=YEARLY;BYWEEKNO=20 | rule: BYWEEKNO is not supported; use BYMONTH with BYDAY or BYMONTHDAY",
        "RSCALE=HEBREW;FREQ=YEARLY | rule: RSCALE=HEBREW is not supported; only GREGORIAN is",
        "FREQ=DAILY;INTERVAL=1001 | rule: INTERVAL=1001 is out of range; use 1 to 1000",
        "FREQ=DAILY;INTERVAL=0 | rule: INTERVAL=0 is out of range; use 1 to 1000",
        "FREQ=DAILY;INTERVAL=two | rule: INTERVAL=TWO is not a whole number",
        "FREQ=DAILY;COUNT=0 | rule: COUNT=0 is out of range; use 1 to 100000",
        "FREQ=DAILY;COUNT=99999999999999999999 | rule: COUNT=99999999999999999999 is out of range; use 1 to 100000",
        "FREQ=DAILY;UNTIL=2026-12-31 | rule: UNTIL=2026-12-31 is not a date like 20261231 or a UTC date-time like 20261231T235959Z",
        "FREQ=DAILY;UNTIL=20260230 | rule: UNTIL=20260230 is not a date like 20261231 or a UTC date-time like 20261231T235959Z",
        "FREQ=YEARLY;BYMONTH=13 | rule: BYMONTH=13 is out of range; use 1 to 12",
        "FREQ=YEARLY;BYMONTH=-1 | rule: BYMONTH=-1 is out of range; use 1 to 12",
        "FREQ=WEEKLY;BYDAY=1MO | rule: BYDAY=1MO: an ordinal like 3MO needs FREQ=MONTHLY or FREQ=YEARLY",
        "FREQ=MONTHLY;BYDAY=6MO | rule: BYDAY=6MO is out of range; use 1 to 5 or -1 to -5 within a month",
        "FREQ=YEARLY;BYDAY=54MO | rule: BYDAY=54MO is out of range; use 1 to 53 or -1 to -53 within a year",
        "FREQ=MONTHLY;BYDAY=0MO | rule: BYDAY=0MO is out of range; use 1 to 5 or -1 to -5 within a month",
        "FREQ=WEEKLY;BYDAY=MON | rule: BYDAY=MON is not a weekday like MO, 3MO or -1FR",
        "FREQ=WEEKLY;BYMONTHDAY=1 | rule: BYMONTHDAY cannot be used with FREQ=WEEKLY; use FREQ=MONTHLY",
        "FREQ=MONTHLY;BYYEARDAY=100 | rule: BYYEARDAY needs FREQ=YEARLY",
        "FREQ=MONTHLY;BYSETPOS=1 | rule: BYSETPOS needs another BY part such as BYDAY or BYMONTHDAY to pick from",
        "FREQ=WEEKLY;WKST=XX | rule: WKST=XX is not a weekday like MO or SU",
        "FREQ=MONTHLY;SKIP=SIDEWAYS | rule: SKIP=SIDEWAYS is not one of OMIT, BACKWARD, FORWARD",
        "FREQ=MONTHLY;BYMONTHDAY=-31;SKIP=BACKWARD | rule: SKIP=BACKWARD with BYMONTHDAY=-31 is not supported; use BYMONTHDAY=-1 for the last day of the month",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30,31 | rule: BYMONTHDAY=30,31 never falls in BYMONTH=2; add SKIP=BACKWARD or SKIP=FORWARD to move it to a day that exists",
        "FREQ=DAILY;FOO=1 | rule: FOO is not a recurrence rule part",
        "FREQ=DAILY;BYDAY | rule: BYDAY has no value",
        "FREQ=DAILY;BYDAY= | rule: BYDAY has no value",
        "FREQ=DAILY;FREQ=WEEKLY | rule: FREQ is given twice",
        "'  ' | rule: must not be empty; write an RRULE such as FREQ=WEEKLY;BYDAY=MO",
      })
  void refusesBadRulesWithAReason(String given, String message) {
    assertEquals(message, error(new JsonObject().put("rule", given)));
  }

  @Test
  void refusesOverlongRules() {
    String rule = "FREQ=DAILY;BYMONTH=" + "1,".repeat(250) + "1";
    assertEquals("rule: is longer than 500 characters", error(new JsonObject().put("rule", rule)));
  }

  @Test
  void acceptsFebruaryTheTwentyNinthAndSkippedMonthEnds() {
    rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29");
    rule("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;SKIP=BACKWARD");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"rule\": \"FREQ=DAILY\", \"preset\": \"daily\"} | preset: cannot be set together with rule",
        "{\"mode\": \"schedule\"} | rule: is required, or a preset: daily, weekdays, weekly, monthly, yearly",
        "{\"rule\": 5} | rule: must be a string",
        "{\"rule\": \"FREQ=DAILY\", \"every\": 2} | every: is not a recurrence field; use rule or preset (with interval and skip), mode, overdue",
        "{\"rule\": \"FREQ=DAILY\", \"mode\": \"sometimes\"} | mode: must be one of schedule, completion",
        "{\"rule\": \"FREQ=DAILY\", \"overdue\": \"later\"} | overdue: must be one of catch-up, skip",
        "{\"rule\": \"FREQ=DAILY\", \"interval\": 2} | interval: only goes with a preset; write INTERVAL into the rule instead",
        "{\"preset\": \"fortnightly\"} | preset: must be one of daily, weekdays, weekly, monthly, yearly",
        "{\"preset\": \"daily\", \"interval\": 0} | interval: must be a whole number from 1 to 1000",
        "{\"preset\": \"daily\", \"interval\": 1.5} | interval: must be a whole number from 1 to 1000",
        "{\"preset\": \"daily\", \"interval\": \"2\"} | interval: must be a whole number from 1 to 1000",
        "{\"preset\": \"daily\", \"interval\": 1001} | interval: must be a whole number from 1 to 1000",
        "{\"preset\": \"weekly\", \"skip\": \"backward\"} | skip: only applies to the monthly and yearly presets",
        "{\"preset\": \"monthly\", \"skip\": \"sideways\"} | skip: must be one of omit, backward, forward",
        "{\"rule\": \"FREQ=DAILY;COUNT=3\", \"mode\": \"completion\"} | rule: COUNT cannot be used with mode completion; use UNTIL to end the series",
      })
  void refusesBadJsonWithTheFieldAtFault(String json, String message) {
    assertEquals(message, error(new JsonObject(json)));
  }

  /** The engine takes it but cannot iterate it: refused as the user's rule, not a crash later. */
  @Test
  void aRuleTheEngineCannotExpandIsRefused() {
    RecurrenceException e =
        assertThrows(
            RecurrenceException.class,
            () -> rule("FREQ=MONTHLY;BYMONTHDAY=31;BYDAY=FR;SKIP=BACKWARD"));
    assertEquals("rule", e.field());
    assertEquals("cannot be expanded: this combination of its parts is not supported", e.reason());
    // the same parts without SKIP are fine: Fridays that are the 31st
    rule("FREQ=MONTHLY;BYMONTHDAY=31;BYDAY=FR");
  }

  @Test
  void exceptionsCarryFieldAndReason() {
    RecurrenceException e =
        assertThrows(RecurrenceException.class, () -> rule("FREQ=MONTHLY;BYMONTHDAY=32"));
    assertEquals("rule", e.field());
    assertEquals("BYMONTHDAY=32 is out of range; use 1 to 31 or -1 to -31", e.reason());
    assertEquals(IllegalArgumentException.class, e.getClass().getSuperclass());
  }

  @Test
  void anchorsFromTheTaskModel() {
    assertEquals(
        Anchor.allDay(LocalDate.parse("2026-01-31")),
        Anchor.ofTask(LocalDate.parse("2026-01-31"), null, null));
    assertEquals(
        Anchor.allDay(LocalDate.parse("2026-01-31"), ZoneId.of("Europe/Berlin")),
        Anchor.ofTask(LocalDate.parse("2026-01-31"), null, "Europe/Berlin"));
    assertEquals(
        "2026-01-31T09:00[America/New_York]",
        Anchor.ofTask(null, Instant.parse("2026-01-31T14:00:00Z"), "America/New_York").toString());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "+05:00 | timeZone: must be an IANA time zone such as America/New_York",
        "Mars/Olympus_Mons | timeZone: must be an IANA time zone such as America/New_York",
      })
  void refusesZonesThatAreNotIana(String zone, String message) {
    assertEquals(
        message,
        assertThrows(
                RecurrenceException.class,
                () -> Anchor.ofTask(null, Instant.parse("2026-01-31T14:00:00Z"), zone))
            .getMessage());
  }

  @Test
  void refusesTasksWithoutADueOrZone() {
    assertEquals(
        "dueDate: a recurring task needs either dueDate or dueAt",
        assertThrows(RecurrenceException.class, () -> Anchor.ofTask(null, null, "UTC"))
            .getMessage());
    assertEquals(
        "timeZone: is required for a recurring task with dueAt",
        assertThrows(
                RecurrenceException.class,
                () -> Anchor.ofTask(null, Instant.parse("2026-01-31T14:00:00Z"), null))
            .getMessage());
  }
}
