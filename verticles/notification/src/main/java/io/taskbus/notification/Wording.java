package io.taskbus.notification;

import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The words of a notification: what the inbox, the toast and the e-mail say. Times read in the
 * task's own zone when it has one (that is where its due time means something), else the user's.
 */
final class Wording {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm zzz", Locale.ENGLISH);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

  static String title(JsonObject task) {
    String title = task == null ? null : task.getString("title");
    return title == null || title.isBlank() ? "(untitled task)" : title;
  }

  static String body(String type, JsonObject task, String fireAt, ZoneId userZone) {
    ZoneId zone = zone(task, userZone);
    String due = due(task, zone);
    if ("reminder.missed".equals(type)) {
      String when = fireAt == null ? "" : " at " + TIME.format(instant(fireAt).atZone(zone));
      return "Missed while taskbus was down: the reminder was due"
          + when
          + "."
          + (due == null ? "" : " Due " + due + ".");
    }
    return due == null ? "Reminder." : "Due " + due + ".";
  }

  private static String due(JsonObject task, ZoneId zone) {
    if (task == null) {
      return null;
    }
    if (task.getString("dueAt") != null) {
      return TIME.format(instant(task.getString("dueAt")).atZone(zone));
    }
    if (task.getString("dueDate") != null) {
      return DAY.format(LocalDate.parse(task.getString("dueDate")));
    }
    return null;
  }

  private static ZoneId zone(JsonObject task, ZoneId fallback) {
    String zone = task == null ? null : task.getString("timeZone");
    try {
      return zone == null ? fallback : ZoneId.of(zone);
    } catch (DateTimeException e) {
      return fallback;
    }
  }

  private static Instant instant(String text) {
    return OffsetDateTime.parse(text).toInstant();
  }

  private Wording() {}
}
