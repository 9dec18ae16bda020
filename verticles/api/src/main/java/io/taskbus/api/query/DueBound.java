package io.taskbus.api.query;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The other side of a due, created or updated comparison: either a whole DATE in the user's zone or
 * an exact INSTANT. The same text is accepted by the {@code dueBefore=} and {@code dueAfter=} query
 * parameters and by the filter language:
 *
 * <ul>
 *   <li>{@code today}, {@code tomorrow}, {@code yesterday}: a DATE in the user's zone;
 *   <li>{@code 2026-12-24}: a DATE;
 *   <li>{@code 2026-12-24T09:00:00-05:00}, {@code 2026-12-24T14:00Z}: an INSTANT. The offset is
 *       required: a wall-clock time alone is ambiguous at DST changes and between zones;
 *   <li>{@code now}, and a signed relative duration {@code 7d}, {@code -3d}, {@code 2w}, {@code
 *       12h}, {@code 30m}: an INSTANT relative to now. Days and weeks are calendar days in the
 *       user's zone (the same wall-clock time, 23 or 25 hours away across a DST change), hours and
 *       minutes are exact. A duration is an instant, not a day, so that {@code created > -1d} means
 *       "in the last day"; write {@code due = tomorrow} or a date for a whole day.
 * </ul>
 */
public final class DueBound {

  /** Whether a bound is a whole day or a point in time. */
  public enum Kind {
    DATE,
    INSTANT
  }

  private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern ISO_DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt].*");
  private static final Pattern RELATIVE = Pattern.compile("([+-]?)(\\d+)(\\p{Alpha}*)");
  // more would reach outside the years PostgreSQL can store
  private static final int MAX_AMOUNT_DIGITS = 5;
  private static final String EXPECTED =
      "expected today, tomorrow, yesterday, now, a date like "
          + "2026-12-24, a time like 2026-12-24T09:00:00-05:00 or a duration like 7d, -3d, 2w, 12h, 30m";

  private final LocalDate date;
  private final Instant instant;

  private DueBound(LocalDate date, Instant instant) {
    this.date = date;
    this.instant = instant;
  }

  public static DueBound ofDate(LocalDate date) {
    return new DueBound(Objects.requireNonNull(date), null);
  }

  public static DueBound ofInstant(Instant instant) {
    return new DueBound(null, Objects.requireNonNull(instant));
  }

  /**
   * Reads a query parameter; errors name it, as in {@code dueBefore: '2026-02-30' is not a valid
   * date}.
   */
  public static DueBound parse(String parameter, String text, ZoneId zone, Instant now) {
    try {
      return parse(text, zone, now);
    } catch (DueBoundException e) {
      throw new DueBoundException(parameter + ": " + e.getMessage());
    }
  }

  /** Reads {@code text} for a user in {@code zone} at {@code now}. */
  public static DueBound parse(String text, ZoneId zone, Instant now) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw new DueBoundException("a date is missing; " + EXPECTED);
    }
    LocalDate today = Days.of(now, zone);
    switch (t.toLowerCase(Locale.ROOT)) {
      case "today":
        return ofDate(today);
      case "tomorrow":
        return ofDate(today.plusDays(1));
      case "yesterday":
        return ofDate(today.minusDays(1));
      case "now":
        return ofInstant(now);
      default:
        break;
    }
    if (ISO_DATE.matcher(t).matches()) {
      return ofDate(isoDate(t));
    }
    if (ISO_DATE_TIME.matcher(t).matches()) {
      return ofInstant(isoInstant(t));
    }
    Matcher relative = RELATIVE.matcher(t);
    if (relative.matches()) {
      return ofInstant(relative(t, relative, zone, now));
    }
    throw new DueBoundException("'" + t + "' is not a date; " + EXPECTED);
  }

  public Kind kind() {
    return date != null ? Kind.DATE : Kind.INSTANT;
  }

  /** The day of a DATE bound. */
  public LocalDate date() {
    if (date == null) {
      throw new IllegalStateException("an INSTANT bound has no date");
    }
    return date;
  }

  /** The instant of an INSTANT bound. */
  public Instant instant() {
    if (instant == null) {
      throw new IllegalStateException("a DATE bound has no instant");
    }
    return instant;
  }

  private static LocalDate isoDate(String t) {
    try {
      return LocalDate.parse(t);
    } catch (DateTimeException e) {
      throw new DueBoundException("'" + t + "' is not a valid date");
    }
  }

  private static Instant isoInstant(String t) {
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeException e) {
      if (isLocalDateTime(t)) {
        throw new DueBoundException(
            "'" + t + "' needs a UTC offset, such as " + t + "Z or " + t + "-05:00");
      }
      throw new DueBoundException(
          "'"
              + t
              + "' is not a valid date and time "
              + "(expected e.g. 2026-12-24T09:00:00-05:00 or 2026-12-24T14:00:00Z)");
    }
  }

  private static boolean isLocalDateTime(String t) {
    try {
      LocalDateTime.parse(t);
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  private static Instant relative(String t, Matcher m, ZoneId zone, Instant now) {
    String unit = m.group(3);
    if (unit.isEmpty()) {
      throw new DueBoundException("'" + t + "' needs a time unit: d, w, h or m (as in 7d)");
    }
    if (m.group(2).length() > MAX_AMOUNT_DIGITS) {
      throw new DueBoundException(
          "'" + t + "' is too far away (at most " + MAX_AMOUNT_DIGITS + " digits)");
    }
    long amount = Long.parseLong(m.group(2)) * ("-".equals(m.group(1)) ? -1 : 1);
    switch (unit) {
      case "d":
        return now.atZone(zone).plusDays(amount).toInstant();
      case "w":
        return now.atZone(zone).plusWeeks(amount).toInstant();
      case "h":
        return now.plus(Duration.ofHours(amount));
      case "m":
        return now.plus(Duration.ofMinutes(amount));
      default:
        throw new DueBoundException(
            "unknown time unit '" + unit + "' in '" + t + "' (expected d, w, h or m)");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DueBound b
        && Objects.equals(date, b.date)
        && Objects.equals(instant, b.instant);
  }

  @Override
  public int hashCode() {
    return Objects.hash(date, instant);
  }

  @Override
  public String toString() {
    return date != null ? "DATE " + date : "INSTANT " + instant;
  }
}
