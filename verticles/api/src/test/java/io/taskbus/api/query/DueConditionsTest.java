package io.taskbus.api.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class DueConditionsTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static OffsetDateTime utc(String instant) {
    return OffsetDateTime.parse(instant);
  }

  private static List<Object> today(ZoneId zone, String localNow) {
    SqlParams params = new SqlParams();
    Instant now = OffsetDateTime.parse(localNow).toInstant();
    assertEquals(
        "(due_date = $1 OR (due_at >= $2 AND due_at < $3))",
        new DueConditions(params, zone).dueToday(now));
    return params.values();
  }

  @Test
  void daysAtDstChangesAreTwentyThreeOrTwentyFiveHoursLong() {
    assertEquals(
        List.of(LocalDate.of(2026, 3, 8), utc("2026-03-08T05:00Z"), utc("2026-03-09T04:00Z")),
        today(NEW_YORK, "2026-03-08T00:05-05:00"));
    assertEquals(
        List.of(LocalDate.of(2026, 11, 1), utc("2026-11-01T04:00Z"), utc("2026-11-02T05:00Z")),
        today(NEW_YORK, "2026-11-01T23:59-05:00"));
    assertEquals(
        List.of(LocalDate.of(2026, 3, 29), utc("2026-03-28T23:00Z"), utc("2026-03-29T22:00Z")),
        today(BERLIN, "2026-03-29T12:00+02:00"));
    assertEquals(
        List.of(LocalDate.of(2026, 10, 25), utc("2026-10-24T22:00Z"), utc("2026-10-25T23:00Z")),
        today(BERLIN, "2026-10-25T00:10+02:00"));
  }

  @Test
  void aDayThatDoesNotStartAtMidnightStartsWhenItStarts() {
    // São Paulo skipped from 00:00 to 01:00 on 4 November 2018
    assertEquals(
        List.of(LocalDate.of(2018, 11, 4), utc("2018-11-04T03:00Z"), utc("2018-11-05T02:00Z")),
        today(ZoneId.of("America/Sao_Paulo"), "2018-11-04T12:00-02:00"));
  }

  @Test
  void dateBoundsCompareDatesAndWholeDays() {
    SqlParams p = new SqlParams();
    DueConditions due = new DueConditions(p, NEW_YORK);
    DueBound d = DueBound.ofDate(LocalDate.of(2026, 3, 8));
    assertEquals("(due_date < $1 OR due_at < $2)", due.before(d));
    assertEquals("(due_date <= $3 OR due_at < $4)", due.atOrBefore(d));
    assertEquals("(due_date > $5 OR due_at >= $6)", due.after(d));
    assertEquals("(due_date >= $7 OR due_at >= $8)", due.atOrAfter(d));
    OffsetDateTime start = utc("2026-03-08T05:00Z");
    OffsetDateTime end = utc("2026-03-09T04:00Z");
    LocalDate day = d.date();
    assertEquals(List.of(day, start, day, end, day, end, day, start), p.values());
  }

  @Test
  void anAllDayTaskIsDueAtTheStartOfItsDayForInstantBounds() {
    SqlParams p = new SqlParams();
    DueConditions due = new DueConditions(p, NEW_YORK);
    DueBound midday = DueBound.ofInstant(Instant.parse("2026-03-08T17:00:00Z"));
    DueBound midnight = DueBound.ofInstant(Instant.parse("2026-03-08T05:00:00Z"));
    LocalDate day = LocalDate.of(2026, 3, 8);
    LocalDate next = day.plusDays(1);

    assertEquals("(due_date < $1 OR due_at < $2)", due.before(midday));
    assertEquals(next, p.values().get(0));
    assertEquals("(due_date < $3 OR due_at < $4)", due.before(midnight));
    assertEquals(day, p.values().get(2));
    assertEquals("(due_date <= $5 OR due_at <= $6)", due.atOrBefore(midday));
    assertEquals(day, p.values().get(4));
    assertEquals("(due_date > $7 OR due_at > $8)", due.after(midnight));
    assertEquals(day, p.values().get(6));
    assertEquals("(due_date >= $9 OR due_at >= $10)", due.atOrAfter(midday));
    assertEquals(next, p.values().get(8));
    assertEquals("(FALSE OR due_at = $11)", due.on(midday));
    assertEquals("(due_date = $12 OR due_at = $13)", due.on(midnight));
    assertEquals(day, p.values().get(11));
  }

  @Test
  void overdueIsOpenTasksPastTheirWholeDayOrTheirInstant() {
    SqlParams p = new SqlParams(2);
    Instant now = Instant.parse("2026-03-08T05:05:00Z");
    assertEquals(
        "(NOT completed AND (due_date < $2 OR due_at < $3))",
        new DueConditions(p, NEW_YORK).overdue(now));
    assertEquals(List.of(LocalDate.of(2026, 3, 8), utc("2026-03-08T05:05Z")), p.values());
    assertEquals(
        "(due_date IS NULL AND due_at IS NULL)", new DueConditions(p, NEW_YORK).hasDue(false));
  }
}
