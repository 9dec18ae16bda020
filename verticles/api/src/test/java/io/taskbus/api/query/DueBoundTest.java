package io.taskbus.api.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DueBoundTest {

  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  // 23:30 on Saturday 7 March in New York, already Sunday in UTC; DST starts that night at 2:00
  private static final Instant NOW = OffsetDateTime.parse("2026-03-07T23:30:00-05:00").toInstant();

  private static DueBound parse(String text) {
    return DueBound.parse(text, NEW_YORK, NOW);
  }

  private static String error(String text) {
    return assertThrows(DueBoundException.class, () -> parse(text)).getMessage();
  }

  @Test
  void namedDaysAreDatesInTheUsersZone() {
    assertEquals(DueBound.ofDate(LocalDate.of(2026, 3, 7)), parse("today"));
    assertEquals(DueBound.ofDate(LocalDate.of(2026, 3, 8)), parse(" Tomorrow "));
    assertEquals(DueBound.ofDate(LocalDate.of(2026, 3, 6)), parse("YESTERDAY"));
    assertEquals(
        DueBound.ofDate(LocalDate.of(2026, 3, 8)),
        DueBound.parse("today", ZoneId.of("Europe/Berlin"), NOW));
    assertEquals(DueBound.ofInstant(NOW), parse("now"));
  }

  @Test
  void isoDatesAndInstants() {
    DueBound date = parse("2026-12-24");
    assertEquals(DueBound.Kind.DATE, date.kind());
    assertEquals(LocalDate.of(2026, 12, 24), date.date());
    DueBound instant = parse("2026-12-24T09:00:00-05:00");
    assertEquals(DueBound.Kind.INSTANT, instant.kind());
    assertEquals(Instant.parse("2026-12-24T14:00:00Z"), instant.instant());
    assertEquals(Instant.parse("2026-12-24T14:00:00Z"), parse("2026-12-24T14:00Z").instant());
    assertThrows(IllegalStateException.class, date::instant);
  }

  @Test
  void daysAndWeeksAreCalendarDaysHoursAndMinutesAreExact() {
    // the next day at the same wall-clock time is only 23 hours away across the DST change
    assertEquals(Instant.parse("2026-03-09T03:30:00Z"), parse("1d").instant());
    assertEquals(Duration.ofHours(23), Duration.between(NOW, parse("+1d").instant()));
    assertEquals(NOW.plus(Duration.ofHours(24)), parse("24h").instant());
    assertEquals(
        OffsetDateTime.parse("2026-03-21T23:30:00-04:00").toInstant(), parse("2w").instant());
    assertEquals(
        OffsetDateTime.parse("2026-03-04T23:30:00-05:00").toInstant(), parse("-3d").instant());
    assertEquals(NOW.plus(Duration.ofMinutes(30)), parse("30m").instant());
    assertEquals(NOW.minus(Duration.ofHours(12)), parse("-12h").instant());
    assertEquals(NOW, parse("0d").instant());
  }

  @Test
  void invalidTextSaysWhy() {
    assertEquals("'2026-02-30' is not a valid date", error("2026-02-30"));
    assertEquals(
        "dueBefore: '2026-02-30' is not a valid date",
        assertThrows(
                DueBoundException.class,
                () -> DueBound.parse("dueBefore", "2026-02-30", NEW_YORK, NOW))
            .getMessage());
    assertEquals("unknown time unit 'y' in '3y' (expected d, w, h or m)", error("3y"));
    assertEquals("unknown time unit 'D' in '3D' (expected d, w, h or m)", error("3D"));
    assertEquals("'7' needs a time unit: d, w, h or m (as in 7d)", error("7"));
    assertEquals("'123456d' is too far away (at most 5 digits)", error("123456d"));
    assertEquals(
        "'2026-12-24T09:00' needs a UTC offset, such as 2026-12-24T09:00Z or"
            + " 2026-12-24T09:00-05:00",
        error("2026-12-24T09:00"));
    assertEquals(
        "'2026-12-24T25:00Z' is not a valid date and time (expected e.g."
            + " 2026-12-24T09:00:00-05:00 or 2026-12-24T14:00:00Z)",
        error("2026-12-24T25:00Z"));
    String expected =
        "expected today, tomorrow, yesterday, now, a date like 2026-12-24, a time"
            + " like 2026-12-24T09:00:00-05:00 or a duration like 7d, -3d, 2w, 12h, 30m";
    assertEquals("'next week' is not a date; " + expected, error("next week"));
    assertEquals("'24.12.2026' is not a date; " + expected, error("24.12.2026"));
    assertEquals("a date is missing; " + expected, error("  "));
  }
}
