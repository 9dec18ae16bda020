package io.taskbus.api.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Calendar days in a user's zone. A day's end is the next day's start, both from the zone's rules:
 * days are 23 or 25 hours long at DST changes, and in a few zones a day does not start at midnight.
 */
final class Days {

  static Instant start(LocalDate date, ZoneId zone) {
    return date.atStartOfDay(zone).toInstant();
  }

  static Instant end(LocalDate date, ZoneId zone) {
    return start(date.plusDays(1), zone);
  }

  static LocalDate of(Instant instant, ZoneId zone) {
    return LocalDate.ofInstant(instant, zone);
  }

  private Days() {}
}
