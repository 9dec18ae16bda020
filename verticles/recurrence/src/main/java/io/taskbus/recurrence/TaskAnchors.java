package io.taskbus.recurrence;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Reads anchors and occurrences from task JSON. A series is anchored at its start, kept on every
 * occurrence as {@code seriesStart}: a local date (all-day) or local date-time in the task's zone.
 */
final class TaskAnchors {

  static ZoneId zone(JsonObject task) {
    String zone = task.getString("timeZone");
    return zone == null ? ZoneOffset.UTC : Anchor.zone(zone);
  }

  /** The series anchor: the stored seriesStart, or the task's own due when it starts a series. */
  static Anchor seriesAnchor(JsonObject task) {
    String start = task.getString("seriesStart");
    if (start == null) {
      return Anchor.ofTask(date(task), instant(task), task.getString("timeZone"));
    }
    ZoneId zone = zone(task);
    return start.length() == 10
        ? Anchor.allDay(LocalDate.parse(start), zone)
        : Anchor.at(LocalDateTime.parse(start), zone);
  }

  /** The occurrence a task stands for: its due, as a date or a time in its zone. */
  static Occurrence occurrence(JsonObject task) {
    LocalDate date = date(task);
    if (date != null) {
      return Occurrence.allDay(date);
    }
    Instant at = instant(task);
    if (at == null) {
      throw new RecurrenceException("dueDate", "a recurring task needs either dueDate or dueAt");
    }
    return Occurrence.at(at.atZone(zone(task)));
  }

  /**
   * The occurrence of the series a task stands for: its {@code occurrence} as stored, which stays
   * when its due is changed (postponing one occurrence does not shift the series), or its due.
   */
  static Occurrence own(JsonObject task, SeriesPlan plan) {
    String key = task.getString("occurrence");
    return key == null ? occurrence(task) : plan.parse(key, "occurrence");
  }

  /**
   * The series start as stored: a local date or a local date-time, no zone (it is the task's), with
   * seconds always, like every date-time taskbus writes (LocalDateTime.toString leaves out zero
   * seconds).
   */
  static String seriesStart(Anchor anchor) {
    return anchor.isAllDay()
        ? anchor.date().toString()
        : LOCAL_WITH_SECONDS.format(anchor.occurrence().dateTime().orElseThrow());
  }

  private static final java.time.format.DateTimeFormatter LOCAL_WITH_SECONDS =
      java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  private static LocalDate date(JsonObject task) {
    String text = task.getString("dueDate");
    return text == null ? null : LocalDate.parse(text);
  }

  private static Instant instant(JsonObject task) {
    String text = task.getString("dueAt");
    return text == null ? null : OffsetDateTime.parse(text).toInstant();
  }

  private TaskAnchors() {}
}
