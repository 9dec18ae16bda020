package io.taskbus.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Tasks straight to JSON bytes, the same bytes as {@code task.toJson().toBuffer()}. A page of 50
 * tasks built as maps and serialised by Jackson's data binding spent a third of the event loop on
 * map serialisation and re-encoding the twenty field names of every task (perf/README.md, the
 * search scenario); the names here are encoded once.
 */
final class TaskJson {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final SerializableString ID = name("id");
  private static final SerializableString TITLE = name("title");
  private static final SerializableString DESCRIPTION = name("description");
  private static final SerializableString PRIORITY = name("priority");
  private static final SerializableString TAGS = name("tags");
  private static final SerializableString DUE_DATE = name("dueDate");
  private static final SerializableString DUE_AT = name("dueAt");
  private static final SerializableString TIME_ZONE = name("timeZone");
  private static final SerializableString COMPLETED = name("completed");
  private static final SerializableString COMPLETED_AT = name("completedAt");
  private static final SerializableString CREATED_AT = name("createdAt");
  private static final SerializableString UPDATED_AT = name("updatedAt");
  private static final SerializableString DELETED_AT = name("deletedAt");
  private static final SerializableString VERSION = name("version");
  private static final SerializableString RECURRENCE = name("recurrence");
  private static final SerializableString SERIES_ID = name("seriesId");
  private static final SerializableString SERIES_START = name("seriesStart");
  private static final SerializableString OCCURRENCE = name("occurrence");
  private static final SerializableString REMINDERS = name("reminders");
  private static final SerializableString SKIPPED = name("skipped");
  private static final SerializableString ITEMS = name("items");
  private static final SerializableString NEXT_CURSOR = name("nextCursor");

  /** {@code {"items": [tasks], "nextCursor": next}}, the shape of every list answer. */
  static Buffer page(Iterable<Task> tasks, String next) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(16 * 1024);
    try (JsonGenerator out = FACTORY.createGenerator(bytes)) {
      out.writeStartObject();
      out.writeFieldName(ITEMS);
      out.writeStartArray();
      for (Task task : tasks) {
        write(task, out);
      }
      out.writeEndArray();
      out.writeFieldName(NEXT_CURSOR);
      out.writeString(next);
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(bytes.toByteArray());
  }

  static void write(Task t, JsonGenerator out) throws IOException {
    Task.Series series = t.series();
    out.writeStartObject();
    out.writeFieldName(ID);
    out.writeString(t.id().toString());
    out.writeFieldName(TITLE);
    out.writeString(t.title());
    out.writeFieldName(DESCRIPTION);
    out.writeString(t.description());
    out.writeFieldName(PRIORITY);
    out.writeString(t.priority());
    out.writeFieldName(TAGS);
    out.writeStartArray();
    for (String tag : t.tags()) {
      out.writeString(tag);
    }
    out.writeEndArray();
    out.writeFieldName(DUE_DATE);
    out.writeString(t.dueDate() == null ? null : IsoText.date(t.dueDate()));
    out.writeFieldName(DUE_AT);
    out.writeString(t.dueAtText());
    out.writeFieldName(TIME_ZONE);
    out.writeString(t.timeZone());
    out.writeFieldName(COMPLETED);
    out.writeBoolean(t.completed());
    instant(out, COMPLETED_AT, t.completedAt());
    instant(out, CREATED_AT, t.createdAt());
    instant(out, UPDATED_AT, t.updatedAt());
    instant(out, DELETED_AT, t.deletedAt());
    out.writeFieldName(VERSION);
    out.writeNumber(t.version());
    out.writeFieldName(RECURRENCE);
    json(out, series == null ? null : series.recurrence());
    out.writeFieldName(SERIES_ID);
    out.writeString(series == null ? null : series.id().toString());
    out.writeFieldName(SERIES_START);
    out.writeString(series == null ? null : series.start());
    out.writeFieldName(OCCURRENCE);
    out.writeString(series == null ? null : series.occurrence());
    out.writeFieldName(REMINDERS);
    if (t.reminders() == null) {
      out.writeStartArray();
      out.writeEndArray();
    } else {
      json(out, t.reminders());
    }
    out.writeFieldName(SKIPPED);
    out.writeBoolean(t.skipped());
    out.writeEndObject();
  }

  private static void instant(JsonGenerator out, SerializableString name, Instant value)
      throws IOException {
    out.writeFieldName(name);
    out.writeString(Task.text(value));
  }

  /** A JsonObject or JsonArray value (or null) with the same encoder as Vert.x's. */
  private static void json(JsonGenerator out, Object value) throws IOException {
    if (value == null) {
      out.writeNull();
      return;
    }
    try {
      JacksonCodec.encodeJson(value, out);
    } catch (EncodeException e) {
      throw new IOException(e);
    }
  }

  private static SerializableString name(String name) {
    return new SerializedString(name);
  }

  private TaskJson() {}
}
