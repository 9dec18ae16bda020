package io.taskbus.recurrence;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;

/**
 * One occurrence of a series: a day for all-day tasks, a time in the task's zone otherwise. {@link
 * #start()} is what the API shows: {@code 2026-01-31} or {@code 2026-01-31T09:00:00-05:00} (always
 * with seconds and a numeric offset, even +00:00, because the offset tells the reader which local
 * time this is).
 */
public final class Occurrence {

  private static final DateTimeFormatter OFFSET_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

  private final LocalDate date;
  private final ZonedDateTime dateTime;

  private Occurrence(LocalDate date, ZonedDateTime dateTime) {
    this.date = date;
    this.dateTime = dateTime;
  }

  public static Occurrence allDay(LocalDate date) {
    return new Occurrence(Objects.requireNonNull(date, "date"), null);
  }

  public static Occurrence at(ZonedDateTime dateTime) {
    return new Occurrence(null, Objects.requireNonNull(dateTime, "dateTime"));
  }

  /**
   * A local time placed in a zone the way RFC 5545 (3.3.5) asks: a time that does not exist because
   * the clocks went forward is read with the offset before the gap, so it moves forward by the gap
   * (02:30 on a spring-forward night in New York becomes 03:30 EDT); a time that exists twice
   * because the clocks went back takes the first, earlier one. java.time's {@code ZonedDateTime.of}
   * does exactly this.
   */
  static ZonedDateTime zoned(LocalDateTime local, ZoneId zone) {
    return ZonedDateTime.of(local, zone);
  }

  public boolean isAllDay() {
    return dateTime == null;
  }

  /** The day, for timed occurrences the local day in the task's zone. */
  public LocalDate date() {
    return date != null ? date : dateTime.toLocalDate();
  }

  /** The time in the task's zone; empty for all-day occurrences. */
  public Optional<ZonedDateTime> dateTime() {
    return Optional.ofNullable(dateTime);
  }

  /** The instant, for timed occurrences only. */
  Instant instant() {
    return dateTime.toInstant();
  }

  /** {@code 2026-01-31T09:00:00-05:00}, or {@code 2026-01-31} for an all-day occurrence. */
  public String start() {
    return date != null ? date.toString() : OFFSET_TIME.format(dateTime);
  }

  /** The item of the occurrences preview: {@code {"start": "..."}}. */
  public JsonObject toJson() {
    return new JsonObject().put("start", start());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Occurrence other
        && Objects.equals(other.date, date)
        && Objects.equals(other.dateTime, dateTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(date, dateTime);
  }

  @Override
  public String toString() {
    return start();
  }
}
