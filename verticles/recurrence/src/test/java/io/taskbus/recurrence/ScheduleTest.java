package io.taskbus.recurrence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final ZoneId AUCKLAND = ZoneId.of("Pacific/Auckland");
  static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");

  static Schedule timed(String rule, String localStart, ZoneId zone) {
    return timed(rule, localStart, zone, RecurrenceMode.SCHEDULE, OverduePolicy.CATCH_UP);
  }

  static Schedule timed(
      String rule, String localStart, ZoneId zone, RecurrenceMode mode, OverduePolicy overdue) {
    return Schedule.of(
        Recurrence.of(rule, mode, overdue), Anchor.at(LocalDateTime.parse(localStart), zone));
  }

  static Schedule allDay(String rule, String date, ZoneId zone) {
    return Schedule.of(
        Recurrence.of(rule, RecurrenceMode.SCHEDULE, OverduePolicy.CATCH_UP),
        Anchor.allDay(LocalDate.parse(date), zone));
  }

  /** The first n occurrences as the API renders them. */
  static List<String> starts(Schedule schedule, int n) {
    return schedule.upcoming(schedule.anchor().date(), n).stream().map(Occurrence::start).toList();
  }

  static Instant at(String local, ZoneId zone) {
    return ZonedDateTime.of(LocalDateTime.parse(local), zone).toInstant();
  }

  static Occurrence occurrence(String local, ZoneId zone) {
    return Occurrence.at(ZonedDateTime.of(LocalDateTime.parse(local), zone));
  }

  @Nested
  class DaylightSaving {

    @Test
    void dailyInNewYorkKeepsNineOClockAcrossBothChanges() {
      Schedule spring = timed("FREQ=DAILY", "2026-03-06T09:00", NEW_YORK);
      assertEquals(
          List.of(
              "2026-03-06T09:00:00-05:00",
              "2026-03-07T09:00:00-05:00",
              "2026-03-08T09:00:00-04:00",
              "2026-03-09T09:00:00-04:00"),
          starts(spring, 4));

      Schedule autumn = timed("FREQ=DAILY", "2026-10-30T09:00", NEW_YORK);
      assertEquals(
          List.of(
              "2026-10-30T09:00:00-04:00",
              "2026-10-31T09:00:00-04:00",
              "2026-11-01T09:00:00-05:00",
              "2026-11-02T09:00:00-05:00"),
          starts(autumn, 4));
    }

    @Test
    void dailyInBerlinKeepsNineOClockAcrossBothChanges() {
      Schedule schedule = timed("FREQ=DAILY", "2026-03-28T09:00", BERLIN);
      assertEquals(
          List.of(
              "2026-03-28T09:00:00+01:00",
              "2026-03-29T09:00:00+02:00",
              "2026-03-30T09:00:00+02:00"),
          starts(schedule, 3));
      assertEquals(
          List.of(
              "2026-10-24T09:00:00+02:00",
              "2026-10-25T09:00:00+01:00",
              "2026-10-26T09:00:00+01:00"),
          schedule.upcoming(LocalDate.parse("2026-10-24"), 3).stream()
              .map(Occurrence::start)
              .toList());
    }

    @Test
    void weeklyInAucklandAcrossTheEndAndStartOfDaylightTime() {
      // NZ daylight time ends on 5 April 2026 and starts again on 27 September 2026.
      Schedule schedule = timed("FREQ=WEEKLY", "2026-03-30T09:00", AUCKLAND);
      assertEquals(
          List.of("2026-03-30T09:00:00+13:00", "2026-04-06T09:00:00+12:00"), starts(schedule, 2));
      assertEquals(
          List.of("2026-09-21T09:00:00+12:00", "2026-09-28T09:00:00+13:00"),
          schedule.upcoming(LocalDate.parse("2026-09-20"), 2).stream()
              .map(Occurrence::start)
              .toList());
    }

    @Test
    void weeklyInSydneyAcrossTheEndAndStartOfDaylightTime() {
      // Sydney daylight time ends on 5 April 2026 and starts on 4 October 2026.
      Schedule schedule = timed("FREQ=WEEKLY;BYDAY=SU", "2026-03-29T09:00", SYDNEY);
      assertEquals(
          List.of(
              "2026-03-29T09:00:00+11:00",
              "2026-04-05T09:00:00+10:00",
              "2026-04-12T09:00:00+10:00"),
          starts(schedule, 3));
      assertEquals(
          List.of("2026-09-27T09:00:00+10:00", "2026-10-04T09:00:00+11:00"),
          schedule.upcoming(at("2026-09-27T08:00", SYDNEY), 2).stream()
              .map(Occurrence::start)
              .toList());
    }

    @Test
    void aTimeThatDoesNotExistMovesForwardByTheGapThatDayOnly() {
      Schedule schedule = timed("FREQ=DAILY", "2026-03-07T02:30", NEW_YORK);
      assertEquals(
          List.of(
              "2026-03-07T02:30:00-05:00",
              "2026-03-08T03:30:00-04:00",
              "2026-03-09T02:30:00-04:00"),
          starts(schedule, 3));
    }

    @Test
    void aNonexistentDueTimeAsTheAnchorItselfMovesForward() {
      Schedule schedule = timed("FREQ=WEEKLY", "2026-03-08T02:30", NEW_YORK);
      assertEquals(
          List.of("2026-03-08T03:30:00-04:00", "2026-03-15T02:30:00-04:00"), starts(schedule, 2));
    }

    @Test
    void aTimeThatExistsTwiceTakesTheEarlierOffset() {
      Schedule schedule = timed("FREQ=DAILY", "2026-10-31T01:30", NEW_YORK);
      assertEquals(
          List.of(
              "2026-10-31T01:30:00-04:00",
              "2026-11-01T01:30:00-04:00",
              "2026-11-02T01:30:00-05:00"),
          starts(schedule, 3));
    }

    @Test
    void nextAcrossTheGapComparesInstants() {
      Schedule schedule = timed("FREQ=DAILY", "2026-03-07T02:30", NEW_YORK);
      assertEquals(
          Optional.of(occurrence("2026-03-09T02:30", NEW_YORK)),
          schedule.next(occurrence("2026-03-08T03:30", NEW_YORK)));
    }
  }

  @Nested
  class MonthEnds {

    @Test
    void theThirtyFirstWithoutSkipOnlyInMonthsThatHaveOne() {
      Schedule schedule = timed("FREQ=MONTHLY;BYMONTHDAY=31", "2026-01-31T09:00", NEW_YORK);
      assertEquals(
          List.of(
              "2026-01-31T09:00:00-05:00",
              "2026-03-31T09:00:00-04:00",
              "2026-05-31T09:00:00-04:00",
              "2026-07-31T09:00:00-04:00",
              "2026-08-31T09:00:00-04:00",
              "2026-10-31T09:00:00-04:00",
              "2026-12-31T09:00:00-05:00"),
          starts(schedule, 7));
    }

    @Test
    void skipOmitIsTheDefault() {
      assertEquals(
          starts(timed("FREQ=MONTHLY;BYMONTHDAY=31", "2026-01-31T09:00", NEW_YORK), 6),
          starts(timed("FREQ=MONTHLY;BYMONTHDAY=31;SKIP=OMIT", "2026-01-31T09:00", NEW_YORK), 6));
    }

    @Test
    void skipBackwardFallsOnTheLastDayOfShorterMonths() {
      Schedule schedule =
          timed("FREQ=MONTHLY;BYMONTHDAY=31;SKIP=BACKWARD", "2026-01-31T09:00", NEW_YORK);
      assertEquals(
          List.of(
              "2026-01-31T09:00:00-05:00",
              "2026-02-28T09:00:00-05:00",
              "2026-03-31T09:00:00-04:00",
              "2026-04-30T09:00:00-04:00",
              "2026-05-31T09:00:00-04:00",
              "2026-06-30T09:00:00-04:00"),
          starts(schedule, 6));
    }

    @Test
    void skipForwardFallsOnTheFirstOfTheNextMonth() {
      Schedule schedule =
          timed("FREQ=MONTHLY;BYMONTHDAY=31;SKIP=FORWARD", "2026-01-31T09:00", NEW_YORK);
      assertEquals(
          List.of(
              "2026-01-31T09:00:00-05:00",
              "2026-03-01T09:00:00-05:00",
              "2026-03-31T09:00:00-04:00",
              "2026-05-01T09:00:00-04:00",
              "2026-05-31T09:00:00-04:00"),
          starts(schedule, 5));
    }

    @Test
    void theImplicitDayFromTheDueDateSkipsToo() {
      Schedule schedule = timed("FREQ=MONTHLY;SKIP=BACKWARD", "2026-01-31T09:00", NEW_YORK);
      assertEquals(
          List.of(
              "2026-01-31T09:00:00-05:00",
              "2026-02-28T09:00:00-05:00",
              "2026-03-31T09:00:00-04:00"),
          starts(schedule, 3));
    }

    @Test
    void computedFromTheStartNotByStepping() {
      Schedule schedule = timed("FREQ=MONTHLY;SKIP=BACKWARD", "2026-01-31T09:00", NEW_YORK);
      // Stepping a month from 28 February would give 28 March.
      assertEquals(
          Optional.of(occurrence("2026-03-31T09:00", NEW_YORK)),
          schedule.next(occurrence("2026-02-28T09:00", NEW_YORK)));
    }

    @Test
    void yearlyOnTheTwentyNinthOfFebruaryOnlyInLeapYears() {
      Schedule schedule = allDay("FREQ=YEARLY", "2024-02-29", NEW_YORK);
      assertEquals(List.of("2024-02-29", "2028-02-29", "2032-02-29"), starts(schedule, 3));
    }

    @Test
    void yearlyOnTheTwentyNinthOfFebruaryBackwardFallsOnTheTwentyEighth() {
      Schedule schedule = allDay("FREQ=YEARLY;SKIP=BACKWARD", "2024-02-29", NEW_YORK);
      assertEquals(
          List.of("2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"),
          starts(schedule, 5));
    }

    @Test
    void theMonthlyPresetOnTheThirtyFirstUsesTheLastDay() {
      Schedule schedule =
          Schedule.of(
              Recurrence.parse(new JsonObject().put("preset", "monthly")),
              Anchor.allDay(LocalDate.parse("2026-01-31"), NEW_YORK));
      assertEquals(
          List.of("2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"), starts(schedule, 4));
    }
  }

  @Nested
  class Ends {

    @Test
    void countEndsTheSeries() {
      Schedule schedule = timed("FREQ=WEEKLY;COUNT=3", "2026-01-05T09:00", NEW_YORK);
      assertEquals(3, schedule.upcoming(schedule.anchor().date(), 10).size());
      assertEquals(Optional.empty(), schedule.next(occurrence("2026-01-19T09:00", NEW_YORK)));
      assertEquals(List.of(), schedule.upcoming(at("2026-01-20T00:00", NEW_YORK), 5));
    }

    @Test
    void countIsCountedFromTheSeriesStartEvenWhenPreviewingLater() {
      Schedule schedule = timed("FREQ=DAILY;COUNT=10", "2026-01-01T09:00", NEW_YORK);
      assertEquals(
          List.of("2026-01-09T09:00:00-05:00", "2026-01-10T09:00:00-05:00"),
          schedule.upcoming(at("2026-01-09T00:00", NEW_YORK), 5).stream()
              .map(Occurrence::start)
              .toList());
    }

    @Test
    void untilInUtcIsComparedAsAnInstant() {
      // 21:00 in New York is 02:00 UTC the next day: the 4 January occurrence is after 01:59:59Z on
      // the 5th.
      Schedule schedule = timed("FREQ=DAILY;UNTIL=20260105T015959Z", "2026-01-01T21:00", NEW_YORK);
      List<String> all = starts(schedule, 10);
      assertEquals(3, all.size());
      assertEquals("2026-01-03T21:00:00-05:00", all.get(2));
    }

    @Test
    void untilAsADateIncludesThatDay() {
      Schedule schedule = timed("FREQ=DAILY;UNTIL=20260103", "2026-01-01T21:00", NEW_YORK);
      assertEquals(3, starts(schedule, 10).size());
      Schedule allDay = allDay("FREQ=DAILY;UNTIL=20260103", "2026-01-01", NEW_YORK);
      assertEquals(List.of("2026-01-01", "2026-01-02", "2026-01-03"), starts(allDay, 10));
    }

    @Test
    void untilBeforeTheStartIsRefused() {
      RecurrenceException e =
          assertThrows(
              RecurrenceException.class,
              () -> timed("FREQ=DAILY;UNTIL=20251231T000000Z", "2026-01-01T09:00", NEW_YORK));
      assertEquals(
          "rule: UNTIL=20251231T000000Z is before the series start 2026-01-01T09:00:00-05:00",
          e.getMessage());
    }

    @Test
    void aRuleWhoseDaysNeverOccurFromTheStartIsRefused() {
      // BYMONTH=2 takes the day of month from the due date: 30 February never comes.
      RecurrenceException e =
          assertThrows(
              RecurrenceException.class,
              () -> allDay("FREQ=YEARLY;BYMONTH=2", "2026-01-30", NEW_YORK));
      assertEquals("rule", e.field());
      assertTrue(e.reason().startsWith("produces no occurrence"), e.reason());
    }
  }

  @Nested
  class ByParts {

    @Test
    void lastWeekdayOfTheMonthWithBySetPos() {
      Schedule schedule =
          timed("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "2026-01-30T17:00", BERLIN);
      assertEquals(
          List.of(
              "2026-01-30T17:00:00+01:00",
              "2026-02-27T17:00:00+01:00",
              "2026-03-31T17:00:00+02:00",
              "2026-04-30T17:00:00+02:00",
              "2026-05-29T17:00:00+02:00"),
          starts(schedule, 5));
    }

    @Test
    void lastFridayOfTheMonth() {
      assertEquals(
          List.of("2026-01-30", "2026-02-27", "2026-03-27", "2026-04-24"),
          starts(allDay("FREQ=MONTHLY;BYDAY=-1FR", "2026-01-30", BERLIN), 4));
    }

    @Test
    void thirdMondayOfTheMonth() {
      assertEquals(
          List.of("2026-01-19", "2026-02-16", "2026-03-16", "2026-04-20"),
          starts(allDay("FREQ=MONTHLY;BYDAY=3MO", "2026-01-19", BERLIN), 4));
    }

    @Test
    void weekStartDecidesWhichWeeksAnIntervalOfTwoKeeps() {
      // 6 January 2026 is a Tuesday.
      assertEquals(
          List.of("2026-01-06", "2026-01-11", "2026-01-20", "2026-01-25"),
          starts(allDay("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=MO", "2026-01-06", BERLIN), 4));
      assertEquals(
          List.of("2026-01-06", "2026-01-18", "2026-01-20", "2026-02-01"),
          starts(allDay("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU", "2026-01-06", BERLIN), 4));
    }

    @Test
    void yearlyBySetPosCountsPositionsFromTheStartOfTheYear() {
      // Positions among 29 Jan, 29 Feb, 29 Mar: the 2nd is 29 February even though the series
      // starts then.
      Schedule schedule =
          allDay("FREQ=YEARLY;BYMONTH=1,2,3;BYMONTHDAY=29;BYSETPOS=2", "2024-02-29", BERLIN);
      assertEquals(
          List.of("2024-02-29", "2025-03-29", "2026-03-29", "2027-03-29", "2028-02-29"),
          starts(schedule, 5));
    }

    @Test
    void aDueDateThatDoesNotMatchTheRuleIsNotAnOccurrence() {
      // 6 January 2026 is a Tuesday; the rule wants Fridays.
      Schedule schedule = allDay("FREQ=WEEKLY;BYDAY=FR;COUNT=2", "2026-01-06", BERLIN);
      assertEquals(Optional.of(Occurrence.allDay(LocalDate.parse("2026-01-09"))), schedule.first());
      assertEquals(List.of("2026-01-09", "2026-01-16"), starts(schedule, 5));
    }

    @Test
    void weekdaysPreset() {
      Schedule schedule =
          Schedule.of(
              Recurrence.parse(new JsonObject().put("preset", "weekdays")),
              Anchor.at(LocalDateTime.parse("2026-01-08T08:30"), NEW_YORK));
      assertEquals(
          List.of(
              "2026-01-08T08:30:00-05:00",
              "2026-01-09T08:30:00-05:00",
              "2026-01-12T08:30:00-05:00"),
          starts(schedule, 3));
    }
  }

  @Nested
  class Completion {

    @Test
    void weeklyCompletedThreeDaysLateIsNextDueAWeekAfterTheCompletionDayAtTheUsualTime() {
      Schedule schedule =
          timed(
              "FREQ=WEEKLY",
              "2026-01-05T09:00",
              NEW_YORK,
              RecurrenceMode.COMPLETION,
              OverduePolicy.SKIP_TO_FUTURE);
      Instant completed = at("2026-01-08T17:45", NEW_YORK); // Thursday, due the Monday before
      assertEquals(
          Optional.of(occurrence("2026-01-15T09:00", NEW_YORK)),
          schedule.nextFromCompletion(completed));
      assertEquals(
          schedule.nextFromCompletion(completed),
          schedule.nextOnCompletion(occurrence("2026-01-05T09:00", NEW_YORK), completed));
    }

    @Test
    void theCompletionDayIsTheDayInTheTasksZone() {
      // 23:30 in New York on the 12th is already the 13th in UTC.
      Schedule schedule =
          Schedule.of(
              Recurrence.parse(
                  new JsonObject()
                      .put("preset", "daily")
                      .put("interval", 3)
                      .put("mode", "completion")),
              Anchor.allDay(LocalDate.parse("2026-01-10"), NEW_YORK));
      assertEquals(
          Optional.of(Occurrence.allDay(LocalDate.parse("2026-01-15"))),
          schedule.nextFromCompletion(at("2026-01-12T23:30", NEW_YORK)));
    }

    @Test
    void aByDayRuleTakesTheNextListedDayAfterTheCompletion() {
      Schedule schedule =
          Schedule.of(
              Recurrence.parse(
                  new JsonObject().put("preset", "weekdays").put("mode", "completion")),
              Anchor.at(LocalDateTime.parse("2026-01-05T09:00"), NEW_YORK));
      assertEquals(
          Optional.of(occurrence("2026-01-12T09:00", NEW_YORK)),
          schedule.nextFromCompletion(at("2026-01-09T18:00", NEW_YORK)));
    }

    @Test
    void keepsTheLocalTimeAcrossDaylightSaving() {
      Schedule schedule =
          timed(
              "FREQ=DAILY;INTERVAL=2",
              "2026-03-01T09:00",
              NEW_YORK,
              RecurrenceMode.COMPLETION,
              OverduePolicy.CATCH_UP);
      assertEquals(
          Optional.of(occurrence("2026-03-09T09:00", NEW_YORK)),
          schedule.nextFromCompletion(at("2026-03-07T20:00", NEW_YORK)));
    }

    @Test
    void untilStillEndsTheSeries() {
      Schedule schedule =
          timed(
              "FREQ=WEEKLY;UNTIL=20260131T235959Z",
              "2026-01-05T09:00",
              NEW_YORK,
              RecurrenceMode.COMPLETION,
              OverduePolicy.CATCH_UP);
      assertEquals(Optional.empty(), schedule.nextFromCompletion(at("2026-01-26T10:00", NEW_YORK)));
    }
  }

  @Nested
  class Overdue {

    final Occurrence last = occurrence("2026-01-01T09:00", NEW_YORK);

    Schedule daily(OverduePolicy policy) {
      return timed("FREQ=DAILY", "2026-01-01T09:00", NEW_YORK, RecurrenceMode.SCHEDULE, policy);
    }

    @Test
    void catchUpCreatesTheNextAfterTheLastEvenWhenOverdue() {
      assertEquals(
          Optional.of(occurrence("2026-01-02T09:00", NEW_YORK)),
          daily(OverduePolicy.CATCH_UP).nextDue(last, at("2026-01-10T12:00", NEW_YORK)));
    }

    @Test
    void skipToFutureCreatesTheFirstNotYetOverdue() {
      Schedule schedule = daily(OverduePolicy.SKIP_TO_FUTURE);
      assertEquals(
          Optional.of(occurrence("2026-01-11T09:00", NEW_YORK)),
          schedule.nextDue(last, at("2026-01-10T12:00", NEW_YORK)));
      assertEquals(
          Optional.of(occurrence("2026-01-10T09:00", NEW_YORK)),
          schedule.nextDue(last, at("2026-01-10T08:00", NEW_YORK)));
    }

    @Test
    void bothPoliciesAgreeWhenNothingIsOverdue() {
      Instant now = at("2026-01-01T10:00", NEW_YORK);
      assertEquals(
          daily(OverduePolicy.CATCH_UP).nextDue(last, now),
          daily(OverduePolicy.SKIP_TO_FUTURE).nextDue(last, now));
      assertEquals(
          Optional.of(occurrence("2026-01-02T09:00", NEW_YORK)),
          daily(OverduePolicy.SKIP_TO_FUTURE).nextDue(last, now));
    }

    @Test
    void anAllDayOccurrenceIsNotOverdueUntilItsDayHasEnded() {
      Schedule schedule =
          Schedule.of(
              Recurrence.of("FREQ=DAILY", RecurrenceMode.SCHEDULE, OverduePolicy.SKIP_TO_FUTURE),
              Anchor.allDay(LocalDate.parse("2026-01-01"), NEW_YORK));
      Instant lateOnTheTenth = at("2026-01-10T23:00", NEW_YORK);
      assertFalse(
          schedule.isOverdue(Occurrence.allDay(LocalDate.parse("2026-01-10")), lateOnTheTenth));
      assertEquals(
          Optional.of(Occurrence.allDay(LocalDate.parse("2026-01-10"))),
          schedule.nextDue(Occurrence.allDay(LocalDate.parse("2026-01-01")), lateOnTheTenth));
    }

    @Test
    void skipToFutureStillEndsWithTheSeries() {
      Schedule schedule =
          timed(
              "FREQ=DAILY;COUNT=5",
              "2026-01-01T09:00",
              NEW_YORK,
              RecurrenceMode.SCHEDULE,
              OverduePolicy.SKIP_TO_FUTURE);
      assertEquals(Optional.empty(), schedule.nextDue(last, at("2026-02-01T00:00", NEW_YORK)));
    }

    @Test
    void onCompletionInScheduleModeFollowsThePolicy() {
      Instant now = at("2026-01-10T12:00", NEW_YORK);
      assertEquals(
          Optional.of(occurrence("2026-01-11T09:00", NEW_YORK)),
          daily(OverduePolicy.SKIP_TO_FUTURE).nextOnCompletion(last, now));
      assertEquals(
          Optional.of(occurrence("2026-01-02T09:00", NEW_YORK)),
          daily(OverduePolicy.CATCH_UP).nextOnCompletion(last, now));
    }
  }

  @Nested
  class AllDay {

    @Test
    void allDaySeriesStayDatesAcrossDaylightSaving() {
      Schedule schedule = allDay("FREQ=WEEKLY", "2026-03-02", NEW_YORK);
      List<Occurrence> got = schedule.upcoming(LocalDate.parse("2026-03-01"), 3);
      assertEquals(
          List.of("2026-03-02", "2026-03-09", "2026-03-16"),
          got.stream().map(Occurrence::start).toList());
      assertTrue(got.stream().allMatch(Occurrence::isAllDay));
      assertEquals(Optional.empty(), got.get(0).dateTime());
      assertEquals(new JsonObject().put("start", "2026-03-09"), got.get(1).toJson());
    }

    @Test
    void upcomingFromAnInstantUsesTheDayInTheZone() {
      Schedule schedule = allDay("FREQ=DAILY", "2026-01-01", ZoneId.of("Pacific/Auckland"));
      // 2026-01-05T12:00Z is already the 6th in Auckland.
      assertEquals(
          "2026-01-06", schedule.upcoming(Instant.parse("2026-01-05T12:00:00Z"), 1).get(0).start());
    }
  }

  @Nested
  class Preview {

    @Test
    void upcomingStartsAtOrAfterFrom() {
      Schedule schedule = timed("FREQ=DAILY", "2026-01-01T09:00", NEW_YORK);
      assertEquals(
          List.of("2026-01-05T09:00:00-05:00", "2026-01-06T09:00:00-05:00"),
          schedule.upcoming(at("2026-01-05T09:00", NEW_YORK), 2).stream()
              .map(Occurrence::start)
              .toList());
      assertEquals(
          List.of("2026-01-06T09:00:00-05:00"),
          schedule.upcoming(at("2026-01-05T09:00:01", NEW_YORK), 1).stream()
              .map(Occurrence::start)
              .toList());
    }

    @Test
    void fromBeforeTheStartBeginsWithTheStart() {
      Schedule schedule = timed("FREQ=DAILY", "2026-01-31T09:00", NEW_YORK);
      assertEquals(
          "2026-01-31T09:00:00-05:00",
          schedule.upcoming(Instant.parse("2000-01-01T00:00:00Z"), 1).get(0).start());
      assertEquals(List.of(), schedule.upcoming(Instant.parse("2000-01-01T00:00:00Z"), 0));
      assertThrows(IllegalArgumentException.class, () -> schedule.upcoming(Instant.EPOCH, -1));
    }

    @Test
    void theIssuesExample() {
      Schedule schedule =
          Schedule.of(
              Recurrence.parse(
                  new JsonObject()
                      .put("rule", "FREQ=MONTHLY;BYMONTHDAY=31")
                      .put("mode", "schedule")),
              Anchor.ofTask(null, Instant.parse("2026-01-31T14:00:00Z"), "America/New_York"));
      assertEquals(
          new JsonObject().put("start", "2026-01-31T09:00:00-05:00"),
          schedule.upcoming(Instant.parse("2026-01-01T00:00:00Z"), 1).get(0).toJson());
    }

    @Test
    void utcRendersItsOffset() {
      Schedule schedule = timed("FREQ=DAILY", "2026-01-31T09:00", ZoneId.of("UTC"));
      assertEquals("2026-01-31T09:00:00+00:00", schedule.first().orElseThrow().start());
    }

    @Test
    void farPreviewsStayCheap() {
      Schedule daily = timed("FREQ=DAILY", "2026-01-01T09:00", NEW_YORK);
      Schedule counted = timed("FREQ=DAILY;COUNT=100000", "2026-01-01T09:00", NEW_YORK);
      long started = System.nanoTime();
      assertEquals(
          "2200-01-01T09:00:00-05:00",
          daily.upcoming(LocalDate.parse("2200-01-01"), 1).get(0).start());
      assertEquals(
          "2200-01-01T09:00:00-05:00",
          counted.upcoming(LocalDate.parse("2200-01-01"), 1).get(0).start());
      assertEquals(List.of(), daily.upcoming(Instant.MAX, 3));
      assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5);
    }

    @Test
    void aTimedOccurrenceCannotBeGivenToAnAllDaySeries() {
      Schedule schedule = allDay("FREQ=DAILY", "2026-01-01", NEW_YORK);
      assertThrows(
          IllegalArgumentException.class,
          () -> schedule.next(occurrence("2026-01-01T09:00", NEW_YORK)));
    }
  }
}
