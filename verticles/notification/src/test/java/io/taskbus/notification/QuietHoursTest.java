package io.taskbus.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link QuietHours#endAfter}: whether a notification waits and until which instant, in the user's
 * zone, across midnight and across the nights the clocks change.
 */
class QuietHoursTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final QuietHours NIGHT = quiet("22:00", "07:00");

  private static QuietHours quiet(String start, String end) {
    return new QuietHours(LocalTime.parse(start), LocalTime.parse(end));
  }

  /** A local time written with its offset, as the instant it names. */
  private static Instant at(String offsetDateTime) {
    return OffsetDateTime.parse(offsetDateTime).toInstant();
  }

  @Test
  void outsideTheWindowNothingWaits() {
    assertEquals(Optional.empty(), NIGHT.endAfter(at("2024-06-12T12:00+02:00"), BERLIN));
    assertEquals(Optional.empty(), NIGHT.endAfter(at("2024-06-12T21:59:59+02:00"), BERLIN));
  }

  @Test
  void lateInTheEveningItWaitsUntilTheNextMorning() {
    assertEquals(
        Optional.of(at("2024-06-13T07:00+02:00")),
        NIGHT.endAfter(at("2024-06-12T23:30+02:00"), BERLIN));
  }

  @Test
  void afterMidnightItWaitsUntilThatMorning() {
    assertEquals(
        Optional.of(at("2024-06-13T07:00+02:00")),
        NIGHT.endAfter(at("2024-06-13T03:00+02:00"), BERLIN));
  }

  @Test
  void theStartIsQuietAndTheEndIsNot() {
    assertEquals(
        Optional.of(at("2024-06-13T07:00+02:00")),
        NIGHT.endAfter(at("2024-06-12T22:00+02:00"), BERLIN));
    assertEquals(Optional.empty(), NIGHT.endAfter(at("2024-06-13T07:00+02:00"), BERLIN));
    assertEquals(
        Optional.of(at("2024-06-13T07:00+02:00")),
        NIGHT.endAfter(at("2024-06-13T06:59:59+02:00"), BERLIN));
  }

  @Test
  void aWindowWithinOneDay() {
    QuietHours lunch = quiet("13:00", "15:00");
    assertEquals(
        Optional.of(at("2024-06-12T15:00+02:00")),
        lunch.endAfter(at("2024-06-12T14:00+02:00"), BERLIN));
    assertEquals(Optional.empty(), lunch.endAfter(at("2024-06-12T12:59+02:00"), BERLIN));
    assertEquals(Optional.empty(), lunch.endAfter(at("2024-06-12T15:00+02:00"), BERLIN));
    assertEquals(Optional.empty(), lunch.endAfter(at("2024-06-12T23:00+02:00"), BERLIN));
  }

  @Test
  void equalStartAndEndMeanNoQuietTime() {
    QuietHours none = quiet("22:00", "22:00");
    assertEquals(Optional.empty(), none.endAfter(at("2024-06-12T22:00+02:00"), BERLIN));
    assertEquals(Optional.empty(), none.endAfter(at("2024-06-12T03:00+02:00"), BERLIN));
  }

  @Test
  void theWindowIsReadInTheUsersZone() {
    Instant now = at("2024-06-12T23:30Z"); // 01:30 in Berlin, 19:30 in New York
    assertEquals(Optional.of(at("2024-06-13T07:00+02:00")), NIGHT.endAfter(now, BERLIN));
    assertEquals(Optional.empty(), NIGHT.endAfter(now, NEW_YORK));
  }

  @Test
  void theNightTheClocksGoForwardIsAnHourShorter() {
    // Berlin, 31 March 2024: 02:00 CET becomes 03:00 CEST
    assertEquals(
        Optional.of(at("2024-03-31T07:00+02:00")),
        NIGHT.endAfter(at("2024-03-30T23:00+01:00"), BERLIN));
    assertEquals(
        Optional.of(at("2024-03-31T07:00+02:00")),
        NIGHT.endAfter(at("2024-03-31T03:30+02:00"), BERLIN));
    // New York, 10 March 2024: 02:00 EST becomes 03:00 EDT
    assertEquals(
        Optional.of(at("2024-03-10T07:00-04:00")),
        NIGHT.endAfter(at("2024-03-09T23:00-05:00"), NEW_YORK));
  }

  @Test
  void theNightTheClocksGoBackIsAnHourLonger() {
    // Berlin, 27 October 2024: 03:00 CEST becomes 02:00 CET
    assertEquals(
        Optional.of(at("2024-10-27T07:00+01:00")),
        NIGHT.endAfter(at("2024-10-26T23:00+02:00"), BERLIN));
    // New York, 3 November 2024: 02:00 EDT becomes 01:00 EST; 01:30 happens twice
    assertEquals(
        Optional.of(at("2024-11-03T07:00-05:00")),
        NIGHT.endAfter(at("2024-11-03T01:30-04:00"), NEW_YORK));
    assertEquals(
        Optional.of(at("2024-11-03T07:00-05:00")),
        NIGHT.endAfter(at("2024-11-03T01:30-05:00"), NEW_YORK));
  }

  @Test
  void anEndInTheSpringGapMovesForwardByTheGap() {
    // 02:30 does not exist in Berlin on 31 March 2024; like a reminder's local time, it becomes
    // 03:30 CEST
    assertEquals(
        Optional.of(at("2024-03-31T03:30+02:00")),
        quiet("22:00", "02:30").endAfter(at("2024-03-30T23:00+01:00"), BERLIN));
  }

  @Test
  void anEndInTheAutumnOverlapIsTheEarlierOne() {
    // 02:30 happens twice in Berlin on 27 October 2024; the first one ends the window
    assertEquals(
        Optional.of(at("2024-10-27T02:30+02:00")),
        quiet("22:00", "02:30").endAfter(at("2024-10-26T23:00+02:00"), BERLIN));
  }

  /**
   * Production bug: at 02:15 CET, the second 02:15 of the night the clocks go back, the window is
   * computed to end at the first 02:30 (CEST, already past), so {@code endAfter} moves the end to
   * the next day: the notification waits 24 hours. Either answer a user could expect, "not quiet
   * any more" (the window ended at the first 02:30) or "until the second 02:30", is within the
   * hour.
   */
  @Test
  void theRepeatedHourDoesNotPostponeADay() {
    Instant now = at("2024-10-27T02:15+01:00");
    Optional<Instant> end = quiet("22:00", "02:30").endAfter(now, BERLIN);
    assertTrue(
        end.isEmpty() || !end.get().isAfter(at("2024-10-27T02:30+01:00")),
        "quiet hours end within the hour, not at " + end);
  }
}
