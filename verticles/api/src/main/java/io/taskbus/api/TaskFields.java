package io.taskbus.api;

import io.taskbus.api.query.Tags;
import io.taskbus.api.query.TaskConditions;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The rules of each task field, shared by create, merge patch, tag replacement and bulk edits. */
final class TaskFields {

  static final int TITLE_MAX = 500;
  static final int DESCRIPTION_MAX = 10_000;
  static final int TAGS_MAX = 20;
  static final int TAG_MAX = Tags.MAX_LENGTH;
  static final Set<String> PRIORITIES = TaskConditions.PRIORITIES;
  private static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);
  private static final LocalDate LATEST = LocalDate.of(9999, 12, 31);
  /** STRICT, so that 2026-02-30 is an error rather than quietly the 28th. */
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

  static String title(Object value, Violations v) {
    if (value == null) {
      v.add("title", "is required");
      return null;
    }
    if (!(value instanceof String s)) {
      v.add("title", "must be a string");
      return null;
    }
    String title = s.strip();
    if (title.isEmpty()) {
      v.add("title", "must not be blank");
    } else if (title.length() > TITLE_MAX) {
      v.add("title", "must be at most " + TITLE_MAX + " characters");
    }
    return title;
  }

  static String description(Object value, Violations v) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      v.add("description", "must be a string or null");
      return null;
    }
    if (s.length() > DESCRIPTION_MAX) {
      v.add("description", "must be at most " + DESCRIPTION_MAX + " characters");
    }
    return s;
  }

  static String priority(Object value, Violations v) {
    if (value == null) {
      return "medium";
    }
    if (!(value instanceof String s) || !PRIORITIES.contains(s)) {
      v.add("priority", "must be one of low, medium, high");
      return "medium";
    }
    return s;
  }

  /** A set of labels, trimmed and lower-cased so "Work" and "work " are one tag; sorted. */
  static List<String> tags(Object value, String field, Violations v) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof io.vertx.core.json.JsonArray array)) {
      v.add(field, "must be an array of strings");
      return List.of();
    }
    TreeSet<String> tags = new TreeSet<>();
    for (Object item : array) {
      if (!(item instanceof String s)) {
        v.add(field, "must contain only strings");
        return List.of();
      }
      String tag = Tags.normalize(s);
      if (tag.isEmpty() || tag.length() > TAG_MAX) {
        v.add(field, "each tag must be 1 to " + TAG_MAX + " characters");
        return List.of();
      }
      tags.add(tag);
    }
    if (tags.size() > TAGS_MAX) {
      v.add(field, "must hold at most " + TAGS_MAX + " tags");
    }
    return new ArrayList<>(tags);
  }

  static LocalDate dueDate(Object value, Violations v) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      try {
        LocalDate date = LocalDate.parse(s, DATE);
        if (!date.isBefore(EARLIEST) && !date.isAfter(LATEST)) {
          return date;
        }
      } catch (DateTimeException ignored) {
        // reported below
      }
    }
    v.add("dueDate", "must be a date like 2026-12-24 that exists in the calendar");
    return null;
  }

  static Instant dueAt(Object value, Violations v) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      try {
        OffsetDateTime time = OffsetDateTime.parse(s);
        LocalDate date = time.toLocalDate();
        if (!date.isBefore(EARLIEST) && !date.isAfter(LATEST)) {
          return time.toInstant();
        }
      } catch (DateTimeException ignored) {
        // reported below
      }
    }
    v.add("dueAt", "must be a date-time with an offset, like 2026-12-24T09:00:00-05:00");
    return null;
  }

  /** An IANA region such as Europe/Berlin (fixed offsets would not follow daylight saving). */
  static String timeZone(Object value, Violations v) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s && ZoneId.getAvailableZoneIds().contains(s)) {
      return s;
    }
    v.add("timeZone", "must be an IANA time zone such as America/New_York");
    return null;
  }

  /** The raw rule object; the recurrence verticle validates and normalises it. */
  static io.vertx.core.json.JsonObject recurrence(Object value, Violations v) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof io.vertx.core.json.JsonObject json)) {
      v.add("recurrence", "must be an object such as {\"rule\": \"FREQ=WEEKLY\"} or {\"preset\": \"weekdays\"}");
      return null;
    }
    return json;
  }

  static void checkDue(LocalDate dueDate, Instant dueAt, String timeZone, Violations v) {
    if (dueDate != null && dueAt != null) {
      v.add("dueDate", "cannot be set together with dueAt: a task is due on a day or at a time");
    }
    if (dueAt != null && timeZone == null) {
      v.add("timeZone", "is required with dueAt");
    }
  }

  private TaskFields() {}
}
