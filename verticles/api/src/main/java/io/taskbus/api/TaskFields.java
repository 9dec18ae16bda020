package io.taskbus.api;

import io.taskbus.api.query.Tags;
import io.taskbus.api.query.TaskConditions;
import io.taskbus.contracts.TimeZones;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
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
    if (value instanceof String s && TimeZones.isRegion(s)) {
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
      v.add(
          "recurrence",
          "must be an object such as {\"rule\": \"FREQ=WEEKLY\"} or {\"preset\": \"weekdays\"}");
      return null;
    }
    return json;
  }

  static final int REMINDERS_MAX = 10;
  private static final java.time.Duration LONGEST_LEAD = java.time.Duration.ofDays(365);

  /**
   * Up to ten reminders, each {@code {"at": "<date-time with offset>"}} or {@code {"before":
   * "PT15M"}} (an ISO-8601 duration before the due), normalised.
   */
  static io.vertx.core.json.JsonArray reminders(Object value, Violations v) {
    io.vertx.core.json.JsonArray result = new io.vertx.core.json.JsonArray();
    if (value == null) {
      return result;
    }
    if (!(value instanceof io.vertx.core.json.JsonArray array) || array.size() > REMINDERS_MAX) {
      v.add("reminders", "must be an array of at most " + REMINDERS_MAX + " reminders");
      return result;
    }
    for (int i = 0; i < array.size(); i++) {
      String field = "reminders[" + i + "]";
      Object item = array.getValue(i);
      if (!(item instanceof io.vertx.core.json.JsonObject r)
          || r.size() != 1
          || !(r.containsKey("at") || r.containsKey("before"))) {
        v.add(field, "must be {\"at\": \"2026-12-24T09:00:00+01:00\"} or {\"before\": \"PT15M\"}");
        continue;
      }
      if (r.containsKey("at")) {
        Instant at = dueAt(r.getValue("at"), new Violations());
        if (at == null) {
          v.add(field + ".at", "must be a date-time with an offset");
        } else {
          result.add(new io.vertx.core.json.JsonObject().put("at", at.toString()));
        }
      } else {
        try {
          java.time.Duration lead = java.time.Duration.parse(String.valueOf(r.getValue("before")));
          if (lead.isNegative() || lead.compareTo(LONGEST_LEAD) > 0) {
            throw new java.time.format.DateTimeParseException("range", "", 0);
          }
          result.add(new io.vertx.core.json.JsonObject().put("before", lead.toString()));
        } catch (java.time.format.DateTimeParseException e) {
          v.add(
              field + ".before",
              "must be an ISO-8601 duration from PT0S to P365D, like PT15M or P1D");
        }
      }
    }
    return result;
  }

  static void checkReminders(
      io.vertx.core.json.JsonArray reminders, LocalDate dueDate, Instant dueAt, Violations v) {
    boolean relative =
        reminders.stream().anyMatch(r -> ((io.vertx.core.json.JsonObject) r).containsKey("before"));
    if (relative && dueDate == null && dueAt == null) {
      v.add("reminders", "a reminder before the due needs a dueDate or dueAt");
    }
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
