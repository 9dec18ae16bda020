package io.taskbus.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Tasks straight to JSON bytes, the same bytes as {@code task.toJson().toBuffer()}. A page of 50
 * tasks built as maps and serialised by Jackson's data binding spent a third of the event loop on
 * map serialisation, re-encoding the twenty field names of every task and formatting timestamps
 * (perf/README.md, the search scenario); here the names are bytes made once.
 */
final class TaskJson {

  private static final byte[] ID = JsonBytes.field("id", true);
  private static final byte[] TITLE = JsonBytes.field("title", false);
  private static final byte[] DESCRIPTION = JsonBytes.field("description", false);
  private static final byte[] PRIORITY = JsonBytes.field("priority", false);
  private static final byte[] TAGS = JsonBytes.field("tags", false);
  private static final byte[] DUE_DATE = JsonBytes.field("dueDate", false);
  private static final byte[] DUE_AT = JsonBytes.field("dueAt", false);
  private static final byte[] TIME_ZONE = JsonBytes.field("timeZone", false);
  private static final byte[] COMPLETED = JsonBytes.field("completed", false);
  private static final byte[] COMPLETED_AT = JsonBytes.field("completedAt", false);
  private static final byte[] CREATED_AT = JsonBytes.field("createdAt", false);
  private static final byte[] UPDATED_AT = JsonBytes.field("updatedAt", false);
  private static final byte[] DELETED_AT = JsonBytes.field("deletedAt", false);
  private static final byte[] VERSION = JsonBytes.field("version", false);
  private static final byte[] RECURRENCE = JsonBytes.field("recurrence", false);
  private static final byte[] SERIES_ID = JsonBytes.field("seriesId", false);
  private static final byte[] SERIES_START = JsonBytes.field("seriesStart", false);
  private static final byte[] OCCURRENCE = JsonBytes.field("occurrence", false);
  private static final byte[] REMINDERS = JsonBytes.field("reminders", false);
  private static final byte[] SKIPPED = JsonBytes.field("skipped", false);
  private static final byte[] ITEMS = JsonBytes.ascii("{\"items\":[");
  private static final byte[] NEXT_CURSOR = JsonBytes.ascii("],\"nextCursor\":");
  private static final byte[] EMPTY_ARRAY = JsonBytes.ascii("[]");

  /** {@code {"items": [tasks], "nextCursor": next}}, the shape of every list answer. */
  static Buffer page(Iterable<Task> tasks, String next) {
    JsonBytes out = JsonBytes.scratch().raw(ITEMS);
    boolean first = true;
    for (Task task : tasks) {
      if (!first) {
        out.raw(',');
      }
      write(task, out);
      first = false;
    }
    return out.raw(NEXT_CURSOR).string(next).raw('}').toBuffer();
  }

  private static void write(Task t, JsonBytes out) {
    Task.Series series = t.series();
    out.raw('{')
        .raw(ID)
        .uuid(t.id())
        .raw(TITLE)
        .string(t.title())
        .raw(DESCRIPTION)
        .string(t.description())
        .raw(PRIORITY)
        .string(t.priority())
        .raw(TAGS)
        .raw('[');
    boolean first = true;
    for (String tag : t.tags()) {
      if (!first) {
        out.raw(',');
      }
      out.string(tag);
      first = false;
    }
    out.raw(']').raw(DUE_DATE).date(t.dueDate()).raw(DUE_AT);
    if (t.dueAt() == null) {
      out.nullValue();
    } else {
      out.offsetDateTime(t.dueAt(), t.zone());
    }
    out.raw(TIME_ZONE)
        .string(t.timeZone())
        .raw(COMPLETED)
        .bool(t.completed())
        .raw(COMPLETED_AT)
        .instant(t.completedAt())
        .raw(CREATED_AT)
        .instant(t.createdAt())
        .raw(UPDATED_AT)
        .instant(t.updatedAt())
        .raw(DELETED_AT)
        .instant(t.deletedAt())
        .raw(VERSION)
        .number(t.version())
        .raw(RECURRENCE);
    json(out, series == null ? null : series.recurrence());
    out.raw(SERIES_ID)
        .uuid(series == null ? null : series.id())
        .raw(SERIES_START)
        .string(series == null ? null : series.start())
        .raw(OCCURRENCE)
        .string(series == null ? null : series.occurrence())
        .raw(REMINDERS);
    if (t.reminders() == null || t.reminders().isEmpty()) {
      out.raw(EMPTY_ARRAY);
    } else {
      json(out, t.reminders());
    }
    out.raw(SKIPPED).bool(t.skipped()).raw('}');
  }

  /** Nested values (a rule, reminders) are rare and small: Vert.x's own encoder writes them. */
  private static void json(JsonBytes out, Object value) {
    if (value == null) {
      out.nullValue();
    } else if (value instanceof JsonObject object) {
      out.raw(object.toBuffer().getBytes());
    } else {
      out.raw(((JsonArray) value).toBuffer().getBytes());
    }
  }

  private TaskJson() {}
}
