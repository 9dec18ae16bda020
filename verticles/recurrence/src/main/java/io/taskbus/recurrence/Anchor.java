package io.taskbus.recurrence;

import io.taskbus.contracts.TimeZones;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a series starts: the task's due date (all-day) or due time, as the user set it in the
 * task's IANA zone. Every occurrence is computed from here, in local time, so a task due at 09:00
 * stays at 09:00 across daylight-saving changes.
 */
public final class Anchor {

  private final LocalDate date;
  private final LocalTime time;
  private final ZoneId zone;

  private Anchor(LocalDate date, LocalTime time, ZoneId zone) {
    this.date = date;
    this.time = time;
    this.zone = zone;
  }

  /**
   * An all-day series. The zone says when a day begins for "today", overdue and completion dates.
   */
  public static Anchor allDay(LocalDate date, ZoneId zone) {
    return new Anchor(
        Objects.requireNonNull(date, "date"), null, Objects.requireNonNull(zone, "zone"));
  }

  /** An all-day series whose days are UTC days, for tasks that carry no zone. */
  public static Anchor allDay(LocalDate date) {
    return allDay(date, ZoneOffset.UTC);
  }

  /** A timed series at this local time in this zone (seconds are kept, fractions dropped). */
  public static Anchor at(LocalDateTime dueTime, ZoneId zone) {
    Objects.requireNonNull(dueTime, "dueTime");
    LocalDateTime local = dueTime.truncatedTo(ChronoUnit.SECONDS);
    return new Anchor(
        local.toLocalDate(), local.toLocalTime(), Objects.requireNonNull(zone, "zone"));
  }

  /** A timed series at the local time this instant has in this zone. */
  public static Anchor at(Instant dueAt, ZoneId zone) {
    return at(LocalDateTime.ofInstant(dueAt, zone), zone);
  }

  /**
   * The anchor of a task as the API stores it: {@code dueDate} for an all-day task, otherwise
   * {@code dueAt} in {@code timeZone}.
   *
   * @throws RecurrenceException when there is no due date or time, or the zone is not an IANA zone
   */
  public static Anchor ofTask(LocalDate dueDate, Instant dueAt, String timeZone) {
    ZoneId zone = timeZone == null ? null : zone(timeZone);
    if (dueDate != null && dueAt == null) {
      return zone == null ? allDay(dueDate) : allDay(dueDate, zone);
    }
    if (dueAt != null && dueDate == null) {
      if (zone == null) {
        throw new RecurrenceException("timeZone", "is required for a recurring task with dueAt");
      }
      return at(dueAt, zone);
    }
    throw new RecurrenceException("dueDate", "a recurring task needs either dueDate or dueAt");
  }

  /**
   * An IANA region such as Europe/Berlin. Fixed offsets are refused: they do not follow daylight
   * saving, so a 09:00 task would drift to 08:00 or 10:00 for half the year. So are the transient
   * ids other zone providers register (ical4j's {@code ical4j~<uuid>~...}): no IANA name has a
   * {@code ~}, and those ids change with every start.
   */
  public static ZoneId zone(String timeZone) {
    if (TimeZones.isRegion(timeZone)) {
      return TimeZones.of(timeZone);
    }
    throw new RecurrenceException("timeZone", "must be an IANA time zone such as America/New_York");
  }

  public boolean isAllDay() {
    return time == null;
  }

  public LocalDate date() {
    return date;
  }

  /** The local time of day; empty for all-day series. */
  public Optional<LocalTime> time() {
    return Optional.ofNullable(time);
  }

  public ZoneId zone() {
    return zone;
  }

  /** The start as a local date-time (midnight for all-day series), the form iteration uses. */
  LocalDateTime local() {
    return time == null ? date.atStartOfDay() : date.atTime(time);
  }

  /** The same kind of anchor, in the same zone and at the same time of day, on another day. */
  Anchor onDay(LocalDate day) {
    return new Anchor(day, time, zone);
  }

  /** The anchor itself as an occurrence, placed in its zone. */
  public Occurrence occurrence() {
    return occurrenceAt(local());
  }

  Occurrence occurrenceAt(LocalDateTime local) {
    return time == null
        ? Occurrence.allDay(local.toLocalDate())
        : Occurrence.at(Occurrence.zoned(local, zone));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Anchor a
        && a.date.equals(date)
        && Objects.equals(a.time, time)
        && a.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(date, time, zone);
  }

  @Override
  public String toString() {
    return (time == null ? date.toString() : local().toString()) + "[" + zone + "]";
  }
}
