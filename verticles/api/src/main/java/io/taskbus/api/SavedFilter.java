package io.taskbus.api;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/**
 * A user's named query in the filter language, shown by the task page as a view with its count. The
 * text is kept as typed and compiled on every use, so relative bounds stay relative.
 */
record SavedFilter(
    UUID id,
    String name,
    String filter,
    int position,
    int version,
    Instant createdAt,
    Instant updatedAt) {

  static final String COLUMNS = "id, name, filter, position, version, created_at, updated_at";

  /** A row whose first columns are {@link #COLUMNS}. */
  static SavedFilter fromRow(Row row) {
    return new SavedFilter(
        row.getUUID(0),
        row.getString(1),
        row.getString(2),
        row.getInteger(3),
        row.getInteger(4),
        row.getOffsetDateTime(5).toInstant(),
        row.getOffsetDateTime(6).toInstant());
  }

  /** The representation; the version shows only in the ETag. */
  JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("name", name)
        .put("filter", filter)
        .put("position", position)
        .put("createdAt", IsoText.instant(createdAt))
        .put("updatedAt", IsoText.instant(updatedAt));
  }

  /** Strong, and new with every change, in the form of a task's. */
  String etag() {
    return Task.etag(id.toString(), version);
  }

  SavedFilter with(String name, String filter, int position) {
    return new SavedFilter(id, name, filter, position, version, createdAt, updatedAt);
  }
}
