package io.taskbus.recurrence;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;

/**
 * The UNTIL bound of a rule, in the three forms RFC 5545 writes it. We apply it ourselves rather
 * than hand it to lib-recur, because lib-recur iterates in floating local time here (see {@link
 * Instances}) and refuses to compare a floating start with a UTC UNTIL; and a UTC UNTIL is exactly
 * what RFC 5545 requires beside a start in a named zone.
 */
final class Until {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss").withResolverStyle(ResolverStyle.STRICT);

  private final String text;
  private final LocalDate date;
  private final LocalDateTime floating;
  private final Instant utc;

  private Until(String text, LocalDate date, LocalDateTime floating, Instant utc) {
    this.text = text;
    this.date = date;
    this.floating = floating;
    this.utc = utc;
  }

  /** Parses {@code 20261231}, {@code 20261231T235959} (local) or {@code 20261231T235959Z}. */
  static Until parse(String value) {
    try {
      if (value.length() == 8) {
        return new Until(value, LocalDate.parse(value, DATE), null, null);
      }
      if (value.length() == 15) {
        return new Until(value, null, LocalDateTime.parse(value, DATE_TIME), null);
      }
      if (value.length() == 16 && value.endsWith("Z")) {
        LocalDateTime time = LocalDateTime.parse(value.substring(0, 15), DATE_TIME);
        return new Until(value, null, null, time.toInstant(ZoneOffset.UTC));
      }
    } catch (DateTimeException ignored) {
      // reported below
    }
    throw new RecurrenceException(
        "rule",
        "UNTIL=" + value + " is not a date like 20261231 or a UTC date-time like 20261231T235959Z");
  }

  String text() {
    return text;
  }

  /**
   * The same bound in the form RFC 5545 requires beside a start in a named zone (3.3.10): a UTC
   * time for a timed series, a date for an all-day one. Every occurrence of a timed series has the
   * start's time of day, so a floating bound comes down to the last day it admits.
   */
  Until forCalendar(Anchor anchor) {
    ZoneId zone = anchor.zone();
    if (anchor.isAllDay()) {
      LocalDate last =
          date != null
              ? date
              : floating != null ? floating.toLocalDate() : LocalDate.ofInstant(utc, zone);
      return new Until(DATE.format(last), last, null, null);
    }
    if (utc != null) {
      return this;
    }
    LocalDate last = date;
    if (floating != null) {
      boolean dayAdmitted = !anchor.time().orElseThrow().isAfter(floating.toLocalTime());
      last = dayAdmitted ? floating.toLocalDate() : floating.toLocalDate().minusDays(1);
    }
    Instant bound = last.plusDays(1).atStartOfDay(zone).toInstant().minusSeconds(1);
    return new Until(
        DATE_TIME.format(LocalDateTime.ofInstant(bound, ZoneOffset.UTC)) + "Z", null, null, bound);
  }

  /** Whether an occurrence at this local time in this zone is within the bound (inclusive). */
  boolean admits(LocalDateTime local, ZoneId zone, boolean allDay) {
    if (date != null) {
      return !local.toLocalDate().isAfter(date);
    }
    if (floating != null) {
      return allDay
          ? !local.toLocalDate().isAfter(floating.toLocalDate())
          : !local.isAfter(floating);
    }
    if (allDay) {
      // An all-day occurrence is within a UTC bound when its day has begun by then in the task's
      // zone.
      return !local.toLocalDate().isAfter(LocalDate.ofInstant(utc, zone));
    }
    return !Occurrence.zoned(local, zone).toInstant().isAfter(utc);
  }
}
