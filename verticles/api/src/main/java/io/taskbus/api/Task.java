package io.taskbus.api;

import io.taskbus.contracts.TimeZones;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * A task as clients see it. Due is either an all-day {@code dueDate} or an instant {@code dueAt}
 * with the IANA {@code timeZone} it was set in (shown in that zone's offset).
 */
record Task(
    UUID id,
    String title,
    String description,
    String priority,
    List<String> tags,
    LocalDate dueDate,
    Instant dueAt,
    String timeZone,
    boolean completed,
    Instant completedAt,
    Instant createdAt,
    Instant updatedAt,
    Instant deletedAt,
    int version,
    Series series,
    JsonArray reminders,
    boolean skipped) {

  /**
   * A recurring task's place in its series: the rule (normalised by the recurrence verticle), the
   * series id and start, and which occurrence this task is.
   */
  record Series(JsonObject recurrence, UUID id, String start, String occurrence) {}

  /** Every query that makes Tasks selects these first, in this order: fromRow reads by position. */
  static final String COLUMNS =
      "id, title, description, priority, tags, due_date, due_at,"
          + " time_zone, completed, completed_at, created_at, updated_at, deleted_at, version,"
          + " recurrence, series_id, series_start, occurrence,"
          // as text (what the server sends for jsonb anyway): the client would parse every value
          // with a new parser, '[]' too, and most tasks have no reminders
          + " reminders::text AS reminders, skipped";

  /** How many columns {@link #COLUMNS} has: a query's own columns follow at this index. */
  static final int COLUMN_COUNT = COLUMNS.split(",").length;

  /** The fields a change event reports old and new values for. */
  static final String[] TRACKED = {
    "title",
    "description",
    "priority",
    "tags",
    "dueDate",
    "dueAt",
    "timeZone",
    "recurrence",
    "reminders",
    "completed",
    "completedAt",
    "skipped",
    "deletedAt"
  };

  /**
   * A row whose first columns are {@link #COLUMNS}, read by position: by name the client searches
   * the column list for each of the twenty fields of every row, which showed in profiles of pages.
   */
  static Task fromRow(Row row) {
    UUID seriesId = row.getUUID(15);
    return new Task(
        row.getUUID(0),
        row.getString(1),
        row.getString(2),
        row.getString(3),
        tagsFrom(row.getArrayOfStrings(4)),
        row.getLocalDate(5),
        instant(row.getOffsetDateTime(6)),
        row.getString(7),
        row.getBoolean(8),
        instant(row.getOffsetDateTime(9)),
        instant(row.getOffsetDateTime(10)),
        instant(row.getOffsetDateTime(11)),
        instant(row.getOffsetDateTime(12)),
        row.getInteger(13),
        seriesId == null
            ? null
            : new Series(
                (JsonObject) row.getValue(14), seriesId, row.getString(16), row.getString(17)),
        remindersFrom(row.getString(18)),
        row.getBoolean(19));
  }

  /** The column's own array, read-only: no copy and no null check per tag (the column has none). */
  private static List<String> tagsFrom(String[] tags) {
    return java.util.Collections.unmodifiableList(java.util.Arrays.asList(tags));
  }

  private static JsonArray remindersFrom(String json) {
    return json == null || json.equals("[]") ? new JsonArray() : new JsonArray(json);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("title", title)
        .put("description", description)
        .put("priority", priority)
        .put("tags", new JsonArray(tags))
        .put("dueDate", dueDate == null ? null : IsoText.date(dueDate))
        .put("dueAt", dueAtText())
        .put("timeZone", timeZone)
        .put("completed", completed)
        .put("completedAt", text(completedAt))
        .put("createdAt", text(createdAt))
        .put("updatedAt", text(updatedAt))
        .put("deletedAt", text(deletedAt))
        .put("version", version)
        .put("recurrence", series == null ? null : series.recurrence())
        .put("seriesId", series == null ? null : series.id().toString())
        .put("seriesStart", series == null ? null : series.start())
        .put("occurrence", series == null ? null : series.occurrence())
        .put("reminders", reminders == null ? new JsonArray() : reminders)
        .put("skipped", skipped);
  }

  /** The due instant as local time with the offset of the zone it was set in. */
  String dueAtText() {
    return dueAt == null ? null : IsoText.offsetDateTime(dueAt, zone());
  }

  /** Strong validator: the version changes with every change of the representation. */
  String etag() {
    return etag(id.toString(), version);
  }

  static String etag(String id, int version) {
    return "\"" + id + "." + version + "\"";
  }

  /** The ordering key for sorting by due: the instant, or the start of the day in its zone. */
  OffsetDateTime dueSort() {
    if (dueAt != null) {
      return dueAt.atOffset(ZoneOffset.UTC);
    }
    return dueDate == null
        ? null
        : dueDate.atStartOfDay(zone()).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
  }

  ZoneId zone() {
    return timeZone == null ? ZoneOffset.UTC : TimeZones.of(timeZone);
  }

  static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  static String text(Instant instant) {
    return instant == null ? null : IsoText.instant(instant);
  }

  /** Completed or reopened; reopening forgets that it was skipped. */
  Task withState(boolean completed, Instant completedAt) {
    return new Task(
        id,
        title,
        description,
        priority,
        tags,
        dueDate,
        dueAt,
        timeZone,
        completed,
        completedAt,
        createdAt,
        updatedAt,
        deletedAt,
        version,
        series,
        reminders,
        completed && skipped);
  }

  /** Closed as skipped: done with, not done. */
  Task skippedAt(Instant at) {
    return new Task(
        id,
        title,
        description,
        priority,
        tags,
        dueDate,
        dueAt,
        timeZone,
        true,
        at,
        createdAt,
        updatedAt,
        deletedAt,
        version,
        series,
        reminders,
        true);
  }

  Task withDeletedAt(Instant deletedAt) {
    return new Task(
        id,
        title,
        description,
        priority,
        tags,
        dueDate,
        dueAt,
        timeZone,
        completed,
        completedAt,
        createdAt,
        updatedAt,
        deletedAt,
        version,
        series,
        reminders,
        skipped);
  }

  Task withTags(List<String> tags) {
    return new Task(
        id,
        title,
        description,
        priority,
        tags,
        dueDate,
        dueAt,
        timeZone,
        completed,
        completedAt,
        createdAt,
        updatedAt,
        deletedAt,
        version,
        series,
        reminders,
        skipped);
  }

  Task withPriority(String priority) {
    return new Task(
        id,
        title,
        description,
        priority,
        tags,
        dueDate,
        dueAt,
        timeZone,
        completed,
        completedAt,
        createdAt,
        updatedAt,
        deletedAt,
        version,
        series,
        reminders,
        skipped);
  }

  /** The stored row after a change: new version and update time. */
  Task touched(Instant now) {
    return new Task(
        id,
        title,
        description,
        priority,
        tags,
        dueDate,
        dueAt,
        timeZone,
        completed,
        completedAt,
        createdAt,
        now,
        deletedAt,
        version + 1,
        series,
        reminders,
        skipped);
  }

  Task withSeries(Series series) {
    return new Task(
        id,
        title,
        description,
        priority,
        tags,
        dueDate,
        dueAt,
        timeZone,
        completed,
        completedAt,
        createdAt,
        updatedAt,
        deletedAt,
        version,
        series,
        reminders,
        skipped);
  }

  /** When the task is due, as an instant: an all-day task at the start of its day in its zone. */
  Instant dueInstant() {
    OffsetDateTime sort = dueSort();
    return sort == null ? null : sort.toInstant();
  }

  /** {@code {field: {old, new}}} for every tracked field whose value differs. */
  static JsonObject changes(Task before, Task after) {
    JsonObject old = before == null ? new JsonObject() : before.toJson();
    JsonObject now = after.toJson();
    JsonObject changes = new JsonObject();
    for (String field : TRACKED) {
      Object o = old.getValue(field);
      Object n = now.getValue(field);
      boolean same = before == null ? unset(n) : java.util.Objects.equals(o, n);
      if (!same) {
        changes.put(field, new JsonObject().put("old", o).put("new", n));
      }
    }
    return changes;
  }

  /** A created task reports only the fields it was given. */
  private static boolean unset(Object value) {
    return value == null
        || Boolean.FALSE.equals(value)
        || (value instanceof JsonArray array && array.isEmpty());
  }
}
